package io.jdrbd.replication;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's rules for this module, enforced on its production classes: the replication engine is a
 * deterministic, sans-I/O state machine (no sockets, files, threads, locks, clocks, unseeded randomness,
 * hash-ordered collections; of Netty only the buffers), and the wire codec is a plain class without
 * Netty channel types, so the simulator and the node run the same code.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jdrbd.replication");

    private static final String ENGINE = "io.jdrbd.replication.engine..";
    private static final String WIRE = "io.jdrbd.replication.wire..";

    @Test
    void theRulesSeeTheEngineAndTheCodec() {
        assertThat(CLASSES.containPackage("io.jdrbd.replication.engine")).isTrue();
        assertThat(CLASSES.containPackage("io.jdrbd.replication.wire")).isTrue();
    }

    @Test
    void theEngineTouchesNoSocketFileThreadOrLock() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..",
                        "java.nio.file..", "java.util.concurrent..", "java.lang.ref..")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().areAssignableTo(ThreadGroup.class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
                .orShould().callMethod(Object.class, "wait")
                .orShould().callMethod(Object.class, "notify")
                .orShould().callMethod(Object.class, "notifyAll")
                .because("the engine is driven by one thread and does no I/O itself (DESIGN.md)")
                .check(CLASSES);
        methods().that().areDeclaredInClassesThat().resideInAPackage(ENGINE)
                .should().notHaveModifier(JavaModifier.SYNCHRONIZED)
                .check(CLASSES);
    }

    @Test
    void theEngineUsesNettyOnlyForBuffers() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.netty..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("io.netty.buffer..")))
                .because("payloads are reference-counted Netty buffers; everything else of Netty is the driver's")
                .check(CLASSES);
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage("io.netty.channel..", "io.netty.handler..",
                        "io.netty.util.concurrent..", "io.netty.bootstrap..")
                .check(CLASSES);
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
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .because("time comes with each input and randomness from the Entropy passed in")
                .check(CLASSES);
    }

    @Test
    void theEngineIteratesOnlyInDeterministicOrder() {
        noClasses().that().resideInAPackage(ENGINE)
                .should().dependOnClassesThat().haveFullyQualifiedName("java.util.HashMap")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashSet")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Hashtable")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.IdentityHashMap")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.WeakHashMap")
                .because("iteration over identity hash codes differs between runs; use TreeMap, LinkedHashMap,"
                        + " EnumMap or arrays by node id")
                .check(CLASSES);
    }

    @Test
    void theWireCodecHasNoNettyChannelTypes() {
        noClasses().that().resideInAPackage(WIRE)
                .should().dependOnClassesThat().resideInAnyPackage("io.netty.channel..", "io.netty.handler..",
                        "io.netty.bootstrap..", "java.net..", "java.nio.channels..")
                .because("node wraps the codec in a thin Netty handler and the simulator calls it directly")
                .check(CLASSES);
    }

    @Test
    void theReplicationModuleKnowsNothingOfItsDrivers() {
        noClasses().that().resideInAPackage("io.jdrbd.replication..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jdrbd.sim..", "io.jdrbd.node..",
                        "io.jdrbd.cli..", "io.jdrbd.nbd..", "io.jdrbd.proxy..")
                .check(CLASSES);
    }
}
