package io.jdrbd.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jdrbd.cli.bench.CommandRunner;
import io.jdrbd.testsupport.ExternalPrograms;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real block device on top of the export: nbdfuse shows the export as a file, losetup turns that file into
 * /dev/loopN, and the kernel's ext4 runs on it. Files written through the mounted file system must be in the
 * export afterwards: the export is copied out with nbdcopy, checked with e2fsck and the files dumped with
 * debugfs. Needs root (losetup, mount) and /dev/fuse.
 */
class BlockDeviceIT {

    private static final long SIZE = 64L << 20;

    @TempDir
    Path workDir;

    @Test
    void shouldKeepFilesWrittenThroughExt4OnALoopDeviceOverTheExport() throws Exception {
        ExternalPrograms.requireThat(Files.exists(Path.of("/dev/fuse")), "/dev/fuse is missing (FUSE unavailable)");
        ExternalPrograms.requireThat("root".equals(System.getProperty("user.name")),
                "losetup and mount need root (run as root, as CI does)");
        for (String program : List.of("nbdfuse", "fusermount3", "losetup", "mkfs.ext4", "mount", "umount",
                "e2fsck", "debugfs", "nbdcopy")) {
            ExternalPrograms.require(program);
        }
        long seed = new Random().nextLong();
        Map<String, byte[]> files = randomFiles(seed);
        Path fuseDir = Files.createDirectories(workDir.resolve("fuse"));
        Path mountDir = Files.createDirectories(workDir.resolve("mnt"));
        Path exportFile = fuseDir.resolve("disk");

        try (InteropServer server = InteropServer.start(Export.memory(SIZE), workDir)) {
            Process nbdfuse = null;
            String loop = null;
            boolean mounted = false;
            try {
                nbdfuse = new ProcessBuilder(ExternalPrograms.require("nbdfuse").toString(), exportFile.toString(),
                        server.uri()).redirectErrorStream(true)
                        .redirectOutput(workDir.resolve("nbdfuse.log").toFile()).start();
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(exportFile)
                        && Files.size(exportFile) == SIZE);
                loop = Programs.succeed("losetup", "--find", "--show", exportFile.toString()).strip();
                Programs.succeed("mkfs.ext4", "-q", "-F", loop);
                Programs.succeed("mount", loop, mountDir.toString());
                mounted = true;
                writeAndSync(mountDir, files);
                for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    assertThat(Files.readAllBytes(mountDir.resolve(file.getKey()))).as("seed %d", seed)
                            .isEqualTo(file.getValue());
                }
                Programs.succeed("umount", mountDir.toString());
                mounted = false;
                Programs.succeed("losetup", "--detach", loop);
                loop = null;
                Programs.succeed("fusermount3", "-u", fuseDir.toString());
                assertThat(nbdfuse.waitFor(30, TimeUnit.SECONDS)).as("nbdfuse exits after unmount").isTrue();
            } finally {
                cleanUp(mounted ? mountDir : null, loop, nbdfuse, fuseDir);
            }
            assertFilesInExport(server, files, seed);
        }
    }

    private void assertFilesInExport(InteropServer server, Map<String, byte[]> files, long seed) throws IOException {
        Path image = workDir.resolve("export.img");
        Programs.succeed("nbdcopy", server.uri(), image.toString());
        CommandRunner.Result fsck = Programs.run("e2fsck", "-f", "-n", image.toString());
        assertThat(fsck.exitCode()).as(fsck.describe() + "\n" + fsck.stdout()).isZero();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path dumped = workDir.resolve("dumped-" + file.getKey().replace('/', '_'));
            Programs.succeed("debugfs", "-R", "dump /" + file.getKey() + " " + dumped, image.toString());
            assertThat(Files.readAllBytes(dumped)).as("%s through the export (seed %d)", file.getKey(), seed)
                    .isEqualTo(file.getValue());
        }
    }

    private static Map<String, byte[]> randomFiles(long seed) {
        Random random = new Random(seed);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of("small.bin", "dir/medium.bin", "dir/sub/large.bin")) {
            byte[] data = new byte[1 + random.nextInt(name.startsWith("dir/sub") ? 8 << 20 : 256 << 10)];
            random.nextBytes(data);
            files.put(name, data);
        }
        return files;
    }

    private static void writeAndSync(Path root, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
    }

    /** Best effort, in reverse order of setup, so a failed test leaves no mount, loop device or FUSE mount. */
    private static void cleanUp(Path mounted, String loop, Process nbdfuse, Path fuseDir) {
        List<String> failures = new ArrayList<>();
        if (mounted != null) {
            collect(failures, Programs.run("umount", "--lazy", mounted.toString()));
        }
        if (loop != null) {
            collect(failures, Programs.run("losetup", "--detach", loop));
        }
        if (nbdfuse != null && nbdfuse.isAlive()) {
            collect(failures, Programs.run("fusermount3", "-u", "-z", fuseDir.toString()));
            CommandRunner.destroyWithDescendants(nbdfuse);
        }
        failures.forEach(System.err::println);
    }

    private static void collect(List<String> failures, CommandRunner.Result result) {
        if (!result.succeeded()) {
            failures.add("clean-up: " + result.describe());
        }
    }
}
