package io.jdrbd.blockdev.file;

import io.jdrbd.blockdev.DeviceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FileBlockDeviceProperties {

    /** Not a multiple of the page size, so the file's last block is partial. */
    private static final int SIZE = 1024 * 1024 + 4096 + 13;

    @Property(tries = 60)
    void behavesLikeAByteArrayAndKeepsItsDataAcrossReopen(@ForAll("ops") List<DeviceModel.Op> ops)
            throws IOException {
        Path file = Files.createTempFile("jdrbd-file-device", ".img");
        try {
            Files.delete(file);
            FileBlockDevice.create(file, SIZE);
            DeviceModel model = new DeviceModel(SIZE);
            try (FileBlockDevice device = FileBlockDevice.open(file)) {
                model.runAndCompare(device, ops);
            }
            try (FileBlockDevice reopened = FileBlockDevice.open(file, true, 1)) {
                model.runAndCompare(reopened, List.of());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<List<DeviceModel.Op>> ops() {
        return DeviceModel.ops(SIZE, 256 * 1024, 1).list().ofMaxSize(30);
    }
}
