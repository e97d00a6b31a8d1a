package io.jdrbd.node.config;

/**
 * A volume as configured for one host (or at resource level, inherited by every host).
 *
 * @param number the volume number ({@code volume N}); 0 for the implicit volume
 * @param implicit no {@code volume} keyword: the statements were written directly in the section
 * @param device the device name ({@code /dev/drbd0}), or null when only a minor was given
 * @param minor the device minor, or -1 when not known
 * @param disk the backing disk, {@code none} for diskless, or null when not set
 * @param metaDisk {@code internal}, the meta-data device, or null when not set
 * @param metaIndex {@code internal}, {@code flexible} (external, flexible size) or an index number
 * @param parsedDevice the device was written in this section (not inherited), as drbdadm's dump tracks it
 * @param definedAt where the volume's first statement is
 */
public record Volume(int number, boolean implicit, String device, int minor, String disk, String metaDisk,
                     String metaIndex, OptionList diskOptions, OptionList peerDeviceOptions, boolean parsedDevice,
                     boolean parsedDisk, boolean parsedMetaDisk, SourceLocation definedAt) {

    public boolean isDiskless() {
        return disk == null || disk.equals("none");
    }

    public boolean hasInternalMetaData() {
        return "internal".equals(metaDisk);
    }
}
