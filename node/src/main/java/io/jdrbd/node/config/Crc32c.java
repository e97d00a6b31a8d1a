package io.jdrbd.node.config;

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) without the usual initial and final
 * inversion, seeded by the caller: the variant drbdadm uses to derive node ids from addresses.
 */
final class Crc32c {

    private static final int POLYNOMIAL = 0x82F63B78;
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int crc = n;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private Crc32c() {
    }

    static int update(int seed, byte[] data) {
        int crc = seed;
        for (byte b : data) {
            crc = TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
        }
        return crc;
    }
}
