package io.jdrbd.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's rules that memory would not keep, checked on the compiled production classes of every
 * module (the cli module sees them all): the replication engine is a pure state machine (no sockets,
 * files, threads, locks, clocks, unseeded randomness, or hash-ordered collections), and no production
 * module but the cli depends on the simulator.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jdrbd");

    private static final String ENGINE = "io.jdrbd.replication.engine..";

    @Test
    void theRulesSeeTheClassesOfEveryModule() {
        org.assertj.core.api.Assertions.assertThat(PRODUCTION.containPackage("io.jdrbd.sim")).isTrue();
        org.assertj.core.api.Assertions.assertThat(PRODUCTION.containPackage("io.jdrbd.replication.wire")).isTrue();
        org.assertj.core.api.Assertions.assertThat(PRODUCTION.containPackage("io.jdrbd.blockdev")).isTrue();
    }

    @Test
    void theEngineDoesNoIoAndStartsNoThreads() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..",
                        "java.nio.file..", "java.util.concurrent..", "io.netty.channel..", "io.netty.handler..",
                        "io.netty.util.concurrent..")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
                .allowEmptyShould(true)
                .check(PRODUCTION);
    }

    @Test
    void theEngineReadsNoClockAndNoUnseededRandomness() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().dependOnClassesThat().resideInAPackage("java.time..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
                .allowEmptyShould(true)
                .check(PRODUCTION);
    }

    @Test
    void theEngineIteratesOnlyInDeterministicOrder() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat().haveFullyQualifiedName("java.util.HashMap")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashSet")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.IdentityHashMap")
                .allowEmptyShould(true)
                .check(PRODUCTION);
    }

    @Test
    void noProductionModuleButTheCliDependsOnTheSimulator() {
        noClasses().that().resideOutsideOfPackages("io.jdrbd.sim..", "io.jdrbd.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.jdrbd.sim..")
                .check(PRODUCTION);
    }

    @Test
    void theSimulatorUsesNoRealTransportOrNode() {
        noClasses().that().resideInAPackage("io.jdrbd.sim..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jdrbd.node..", "io.jdrbd.nbd..",
                        "io.jdrbd.proxy..", "io.netty.channel..", "java.net..")
                .allowEmptyShould(true)
                .check(PRODUCTION);
    }
}
