package io.gamewire;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;

/**
 * The layering of gamewire's packages, in every build: the GWP protocol at the bottom; settings,
 * Camel helpers and TLS (its settings and errors) above it, as are the storage ports, and the
 * title files above those; the bus above the protocol and the helpers; the steps that do the work
 * (ingest, sinks, queries, pulls, admin) above those; the application (its composition root,
 * routes, deployers and command line) on top. No package depends on itself through others; route
 * builders live in one package and bind no beans; the storage adapters know nothing of Camel.
 * docs/ARCHITECTURE.md draws the same picture.
 */
@AnalyzeClasses(packages = "io.gamewire", importOptions = ArchitectureTest.ProductionCode.class)
class ArchitectureTest {

    /** The main classes of every module: no test classes, also not those of the processors test-jar. */
    static final class ProductionCode implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/") && !location.contains("-tests.jar");
        }
    }

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Protocol").definedBy("io.gamewire.protocol..")
            .layer("Support").definedBy("io.gamewire.config", "io.gamewire.camel", "io.gamewire.tls..")
            .layer("Storage").definedBy("io.gamewire.sinks.sql..", "io.gamewire.sinks.kv..", "io.gamewire.sinks.cache..")
            .layer("Titles").definedBy("io.gamewire.titles..")
            .layer("Bus").definedBy("io.gamewire.bus", "io.gamewire.routing")
            .layer("Steps").definedBy("io.gamewire.ingest..", "io.gamewire.sinks", "io.gamewire.query",
                    "io.gamewire.pulls", "io.gamewire.admin..", "io.gamewire.monitor..", "io.gamewire.capacity..")
            .layer("Ops").definedBy("io.gamewire.ops..")
            .layer("Application").definedBy("io.gamewire", "io.gamewire.stack", "io.gamewire.deploy",
                    "io.gamewire.routes", "io.gamewire.cli")
            .whereLayer("Protocol").mayNotAccessAnyLayer()
            .whereLayer("Support").mayOnlyAccessLayers("Protocol")
            .whereLayer("Storage").mayOnlyAccessLayers("Protocol")
            .whereLayer("Titles").mayOnlyAccessLayers("Protocol", "Support", "Storage")
            .whereLayer("Bus").mayOnlyAccessLayers("Protocol", "Support")
            .whereLayer("Steps").mayOnlyAccessLayers("Protocol", "Support", "Storage", "Titles", "Bus")
            .whereLayer("Ops").mayOnlyAccessLayers("Protocol", "Support")
            .whereLayer("Application").mayNotBeAccessedByAnyLayer();

    /** Routes are declared in one package of the routes module; the steps they call are elsewhere. */
    @ArchTest
    static final ArchRule routesLiveInTheRoutesPackage = classes().that().areAssignableTo(RouteBuilder.class)
            .should().resideInAPackage("io.gamewire.routes");

    /** A route builder declares routes; the beans its steps use are built by the configuration classes. */
    @ArchTest
    static final ArchRule routeBuildersBuildNoBeans = noClasses().that().areAssignableTo(RouteBuilder.class)
            .should().callMethodWhere(target(name("bind")).and(target(owner(assignableTo(Registry.class)))))
            .because("beans are bound by the configuration classes of io.gamewire.stack (one composition root)");

    /** The storage ports and their adapters know nothing of Camel: they are plain Java over their clients. */
    @ArchTest
    static final ArchRule storageWithoutCamel = noClasses().that()
            .resideInAnyPackage("io.gamewire.sinks.sql..", "io.gamewire.sinks.kv..", "io.gamewire.sinks.cache..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.camel..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.(**)")
            .should().beFreeOfCycles();
}
