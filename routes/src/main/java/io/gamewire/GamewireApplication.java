package io.gamewire;

import io.gamewire.config.StartupException;
import io.gamewire.routes.AdminRoutes;
import io.gamewire.routes.CapacityRoutes;
import io.gamewire.routes.CapacityPlanRoutes;
import io.gamewire.routes.ConsoleRoutes;
import io.gamewire.routes.JolokiaRoutes;
import io.gamewire.routes.EventHttpRoutes;
import io.gamewire.routes.HttpApiErrors;
import io.gamewire.routes.PullRoutes;
import io.gamewire.routes.ServiceConsumerRoutes;
import io.gamewire.routes.TcpIngestRoutes;
import io.gamewire.stack.AdminConfiguration;
import io.gamewire.stack.AdminDataConfiguration;
import io.gamewire.stack.BusConfiguration;
import io.gamewire.stack.CapacityConfiguration;
import io.gamewire.stack.CapacityAdminConfiguration;
import io.gamewire.stack.CapacityPlanConfiguration;
import io.gamewire.stack.CoreConfiguration;
import io.gamewire.stack.EmbeddedBrokerConfiguration;
import io.gamewire.stack.IngestConfiguration;
import io.gamewire.stack.CamelToolsConfiguration;
import io.gamewire.stack.OpsConfiguration;
import io.gamewire.stack.TailConfiguration;
import io.gamewire.stack.PullsConfiguration;
import io.gamewire.stack.StorageConfiguration;
import io.gamewire.stack.StoreConfiguration;
import io.gamewire.stack.StoreWatchConfiguration;
import io.gamewire.ops.health.StoreFailureWatch;
import io.gamewire.stack.TitlesConfiguration;
import io.gamewire.stack.UserRoutesFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.gamewire.config.Settings;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.main.Main;

/**
 * gamewire assembled on Camel Main: where its properties come from, the stack configuration and
 * the route builders. {@link #run()} blocks until shutdown (the jar); {@link #start()} and
 * {@link #stop()} are for tests that run it in-process.
 */
public final class GamewireApplication {

    /** Defaults built into the jar: a copy of config/application.properties made at build time. */
    static final String BUILT_IN_DEFAULTS = "classpath:gamewire/application.properties";
    /** Seconds past the graceful part after which a stop for a broken store halts. */
    static final int HALT_MARGIN_S = 15;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GamewireApplication.class);

    private final Main main = new Main();
    /** The thread in {@link #run()} while it blocks (a stop then ends the process), which runs the stop; else null. */
    private volatile Thread runThread;
    /** The watchdog of a stop for a broken store; interrupted when the run ends. */
    private volatile Thread haltIfStuck;
    /** Whether the run was stopped because a store in the data folder broke ({@link StoreFailureWatch}). */
    private volatile boolean storeBroken;

    /**
     * @param configDir  folder with application.properties; if it does not exist only the built-in
     *                   defaults apply
     * @param profile    loads {@code configDir/application-<profile>.properties} too; may be null
     * @param overrides  properties that win over files and environment
     */
    public GamewireApplication(Path configDir, String profile, Map<String, String> overrides) {
        Path dir = configDir.toAbsolutePath().normalize();
        List<String> locations = propertyLocations(dir, profile);
        main.setPropertyPlaceholderLocations(String.join(",", locations));
        // the folder the other paths of the configuration (titles/) are relative to
        main.addInitialProperty("gamewire.config-dir", dir.toString());
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(new UserRoutesFolder());
        // the composition root: one configuration class per area, in the order they depend on each other
        main.configure().addConfiguration(CoreConfiguration.class);
        // the embedded broker starts on its own thread while the database is opened and migrated;
        // BusConfiguration waits for it
        main.configure().addConfiguration(EmbeddedBrokerConfiguration.class);
        main.configure().addConfiguration(StorageConfiguration.class);
        main.bind(StoreWatchConfiguration.ON_BROKEN, (java.util.function.LongConsumer) this::stopForBrokenStore);
        main.configure().addConfiguration(StoreWatchConfiguration.class);
        main.configure().addConfiguration(BusConfiguration.class);
        main.configure().addConfiguration(TitlesConfiguration.class);
        main.configure().addConfiguration(IngestConfiguration.class);
        main.configure().addConfiguration(StoreConfiguration.class);
        main.configure().addConfiguration(PullsConfiguration.class);
        main.configure().addConfiguration(AdminConfiguration.class);
        main.configure().addConfiguration(AdminDataConfiguration.class);
        main.configure().addConfiguration(OpsConfiguration.class);
        main.configure().addConfiguration(CapacityConfiguration.class);
        main.configure().addConfiguration(CapacityPlanConfiguration.class);
        main.configure().addConfiguration(CapacityAdminConfiguration.class);
        main.configure().addConfiguration(TailConfiguration.class);
        main.configure().addConfiguration(CamelToolsConfiguration.class);
        // the routes, which name the steps those bind
        main.configure().addRoutesBuilder(new HttpApiErrors());
        main.configure().addRoutesBuilder(new EventHttpRoutes());
        main.configure().addRoutesBuilder(new TcpIngestRoutes());
        main.configure().addRoutesBuilder(new AdminRoutes());
        main.configure().addRoutesBuilder(new ConsoleRoutes());
        main.configure().addRoutesBuilder(new JolokiaRoutes());
        main.configure().addRoutesBuilder(new ServiceConsumerRoutes());
        main.configure().addRoutesBuilder(new PullRoutes());
        main.configure().addRoutesBuilder(new CapacityRoutes());
        main.configure().addRoutesBuilder(new CapacityPlanRoutes());
    }

    /**
     * Where properties come from, most specific first: Camel's properties component takes a key
     * from the first location that has it, so the profile file wins over application.properties,
     * which wins over the defaults built into the jar.
     */
    static List<String> propertyLocations(Path dir, String profile) {
        List<String> locations = new ArrayList<>();
        if (profile != null) {
            Path profileFile = dir.resolve("application-" + profile + ".properties");
            if (!Files.isRegularFile(profileFile)) {
                throw new StartupException("profile '" + profile + "' needs " + profileFile + ", which does not exist");
            }
            locations.add("file:" + profileFile);
        }
        locations.add("file:" + dir.resolve("application.properties") + ";optional=true");
        locations.add(BUILT_IN_DEFAULTS);
        return locations;
    }

    /**
     * The configuration as {@link #run()} would see it (the same files, profile, environment
     * variables and overrides), read without starting anything: for the commands that talk to a
     * running gamewire.
     */
    public static Settings settings(Path configDir, String profile, Map<String, String> overrides) {
        Path dir = configDir.toAbsolutePath().normalize();
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        properties.setLocation(String.join(",", propertyLocations(dir, profile)));
        Properties initial = new Properties();
        initial.setProperty("gamewire.config-dir", dir.toString());
        properties.setInitialProperties(initial);
        Properties override = new Properties();
        override.putAll(overrides);
        properties.setOverrideProperties(override);
        return new Settings(properties);
    }

    /**
     * Runs until SIGTERM or SIGINT ({@link StopOnSignal}) or another stop; returns the exit code:
     * {@value StoreFailureWatch#EXIT_CODE} when a store in the data folder broke for good.
     */
    public int run() throws Exception {
        StopOnSignal.install(main::completed);
        runThread = Thread.currentThread();
        try {
            main.run();
        } catch (Exception e) {
            if (!storeBroken) {
                throw e;
            }
            LOG.warn("The stop after a broken store ended with an error: {}", e.toString());
        } finally {
            runThread = null;
            Thread halt = haltIfStuck;
            if (halt != null) {
                halt.interrupt(); // the run is over: the caller exits (or, in-process, goes on)
            }
        }
        return storeBroken ? StoreFailureWatch.EXIT_CODE : main.getExitCode();
    }

    /**
     * A store in the data folder broke for good: the run completes as on SIGTERM (Camel stops in
     * its order; what can no longer be stored stays unacknowledged on the bus or with its client),
     * and the process exits {@value StoreFailureWatch#EXIT_CODE} for its supervisor to start it
     * again. Camel's graceful stop gets {@code gracefulSeconds} ({@code gamewire.bus.confirm-timeout-ms}
     * plus 2 s, from {@link StoreWatchConfiguration}) instead of {@code camel.main.shutdown-timeout}:
     * the sinks' batches wait on stores that will not answer (a run took the whole 30 s, with 10
     * exchanges still blocked), while requests waiting on a confirm end by then, answered 503 by
     * gamewire (a forced stop interrupts them, and platform-http answers 500 itself). A broken
     * store may also hang its own close, so the process is halted if the run has not ended
     * {@value #HALT_MARGIN_S} s later: nothing is lost by that, as nothing more can be stored, and
     * what was not acknowledged is resent by its clients. In-process (tests, {@link #start()}),
     * the caller decides: the health check says it.
     */
    private void stopForBrokenStore(long gracefulSeconds) {
        storeBroken = true;
        Thread stopping = runThread;
        if (stopping == null) {
            return;
        }
        try {
            main.getCamelContext().getShutdownStrategy().setTimeout(gracefulSeconds);
            haltIfStuck = haltAfter(gracefulSeconds + HALT_MARGIN_S, stopping);
        } finally {
            main.completed();
        }
    }

    /** A daemon thread that halts the process after {@code seconds}, unless interrupted first. */
    private static Thread haltAfter(long seconds, Thread stopping) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            LOG.error("The stop after a broken store did not end within {} s: halting with exit status {}; the stop"
                    + " waits at:{}", seconds, StoreFailureWatch.EXIT_CODE, stackOf(stopping));
            Runtime.getRuntime().halt(StoreFailureWatch.EXIT_CODE);
        }, "gamewire-halt-if-stuck");
        halt.setDaemon(true);
        halt.start();
        return halt;
    }

    /** Starts without blocking. */
    public void start() throws Exception {
        main.start();
    }

    public void stop() throws Exception {
        main.stop();
    }

    private static String stackOf(Thread thread) {
        StringBuilder stack = new StringBuilder();
        for (StackTraceElement frame : thread.getStackTrace()) {
            stack.append("\n\tat ").append(frame);
        }
        return stack.toString();
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }
}
