package io.jdrbd.replication.wire;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The codec is bytes in, packets out: Netty buffers only (no channels, handlers or event loops, so the
 * simulator runs the same code as {@code node}), and no I/O, threads or clocks of its own.
 */
class WireArchitectureTest {

    private static final JavaClasses WIRE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jdrbd.replication.wire");

    @Test
    void usesNoNettyBeyondBuffers() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.netty.channel..", "io.netty.handler..",
                "io.netty.bootstrap..", "io.netty.util.concurrent..").check(WIRE);
    }

    @Test
    void doesNoIoThreadsOrClocks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..",
                "java.nio.file..", "java.util.concurrent..", "java.time..").check(WIRE);
        noClasses().should().callMethod(System.class, "nanoTime").orShould()
                .callMethod(System.class, "currentTimeMillis").orShould()
                .dependOnClassesThat().areAssignableTo(Thread.class).check(WIRE);
    }

    @Test
    void doesNotDependOnTheEngine() {
        noClasses().that().resideInAPackage("io.jdrbd.replication.wire")
                .should().dependOnClassesThat().resideInAPackage("io.jdrbd.replication.engine..").check(WIRE);
    }
}
