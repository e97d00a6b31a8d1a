package io.jdrbd.nbd;

import io.jdrbd.blockdev.BlockDevice;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One export the server offers: a name, a human description, the device, whether clients may
 * write, the minimum block size enforced on I/O (1 = no alignment required), and the listener
 * asked whenever a client session opens or closes it.
 */
public record NbdExport(String name, String description, BlockDevice device, boolean readOnly,
                        int minimumBlockSize, ExportAccessListener accessListener) {

    public NbdExport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(accessListener, "accessListener");
        if (name.getBytes(StandardCharsets.UTF_8).length > NbdProtocol.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("export name longer than " + NbdProtocol.MAX_STRING_BYTES + " bytes");
        }
        if (minimumBlockSize < 1 || minimumBlockSize > 64 * 1024 || Integer.bitCount(minimumBlockSize) != 1) {
            throw new IllegalArgumentException("minimumBlockSize must be a power of 2 in [1, 65536]: "
                    + minimumBlockSize);
        }
    }

    /** A writable export with no description, no alignment requirement and no access listener. */
    public static NbdExport of(String name, BlockDevice device) {
        return new NbdExport(name, "", device, false, 1, ExportAccessListener.ALLOW_ALL);
    }

    public NbdExport withDescription(String value) {
        return new NbdExport(name, value, device, readOnly, minimumBlockSize, accessListener);
    }

    public NbdExport withReadOnly(boolean value) {
        return new NbdExport(name, description, device, value, minimumBlockSize, accessListener);
    }

    public NbdExport withMinimumBlockSize(int value) {
        return new NbdExport(name, description, device, readOnly, value, accessListener);
    }

    public NbdExport withAccessListener(ExportAccessListener value) {
        return new NbdExport(name, description, device, readOnly, minimumBlockSize, value);
    }

    /** Read-only for clients: the export says so, or the device cannot write. */
    public boolean effectivelyReadOnly() {
        return readOnly || device.capabilities().readOnly();
    }
}
