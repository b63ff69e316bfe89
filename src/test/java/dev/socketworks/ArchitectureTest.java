package dev.socketworks;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape the README's "How a message flows" describes, checked on the compiled classes:
 * services (every service package, the arena, hello and ticker included) → runtime →
 * handshake/outbox/inbound → hub/config/json/logging/auth, never upwards; no service reaching into
 * another; and no class outside a layer.
 */
@AnalyzeClasses(packages = "dev.socketworks", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] SERVICES = {"dev.socketworks.echo..", "dev.socketworks.broadcast..",
            "dev.socketworks.chat..", "dev.socketworks.totals..", "dev.socketworks.countdown..", "dev.socketworks.bridge..",
            "dev.socketworks.arena..", "dev.socketworks.hello..", "dev.socketworks.ticker.."};
    private static final String[] EDGE = {"dev.socketworks.handshake..", "dev.socketworks.outbox..", "dev.socketworks.inbound.."};
    private static final String[] BASE = {"dev.socketworks.hub..", "dev.socketworks.config..", "dev.socketworks.json..",
            "dev.socketworks.logging..", "dev.socketworks.auth.."};

    @ArchTest
    static final ArchRule packagesDependOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("services").definedBy(SERVICES)
            .layer("runtime").definedBy("dev.socketworks.runtime..")
            .layer("edge").definedBy(EDGE)
            .layer("base").definedBy(BASE)
            .whereLayer("services").mayNotBeAccessedByAnyLayer()
            .whereLayer("runtime").mayOnlyBeAccessedByLayers("services")
            .whereLayer("edge").mayOnlyBeAccessedByLayers("services", "runtime");

    /** A new package joins a layer on purpose: one that is in none fails here, not silently outside the rules. */
    @ArchTest
    static final ArchRule everyClassBelongsToALayer = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAPackage("dev.socketworks..")
            .should().resideInAnyPackage(concat(SERVICES, new String[]{"dev.socketworks.runtime.."}, EDGE, BASE))
            .because("the layers above are the whole code: services, runtime, edge, base");

    @ArchTest
    static final ArchRule servicesDoNotReachIntoEachOther = slices()
            .matching("dev.socketworks.(echo|broadcast|chat|totals|countdown|bridge|arena|hello|ticker)..").should().notDependOnEachOther();

    private static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @ArchTest
    static final ArchRule edgePackagesAreIndependent = slices()
            .matching("dev.socketworks.(handshake|outbox|inbound)..").should().notDependOnEachOther();

    @ArchTest
    static final ArchRule basePackagesAreIndependent = slices()
            .matching("dev.socketworks.(hub|config|json|logging|auth)..").should().notDependOnEachOther();

    @ArchTest
    static final ArchRule onlyJakartaApisNoContainerClasses = noClasses().that().resideInAPackage("dev.socketworks..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache..", "org.glassfish..", "io.undertow..",
                    "org.jboss..", "org.wildfly..", "fish.payara..", "com.ibm.ws..", "com.ibm.websphere..", "org.eclipse.jetty..");

    @ArchTest
    static final ArchRule nothingSendsBlocking = noClasses().should().callMethod(Session.class, "getBasicRemote")
            .because("every message goes through the session's one outbox, which sends asynchronously");

    @ArchTest
    static final ArchRule onlyTheOutboxTalksToTheRemoteEndpoint = noClasses()
            .that().resideOutsideOfPackage("dev.socketworks.outbox..")
            .should().callMethod(Session.class, "getAsyncRemote")
            .orShould().dependOnClassesThat().areAssignableTo(RemoteEndpoint.class)
            .because("one send in flight per session is the outbox's promise");

    @ArchTest
    static final ArchRule jsonProviderLookedUpOnce = noClasses().that().resideInAPackage("dev.socketworks..")
            .should().dependOnClassesThat().haveFullyQualifiedName("jakarta.json.Json")
            .because("jakarta.json.Json looks its provider up on every call (a ServiceLoader scan of the WAR's jars "
                    + "under one file lock): per message, it queued every chat message behind a flooder's; "
                    + "use StrictJson.PROVIDER");
}
