package io.gamewire.stack;

import io.gamewire.config.StartupException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.State;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.VirtualHost;
import org.apache.qpid.server.model.VirtualHostNode;
import org.apache.qpid.server.store.berkeleydb.BDBEnvironmentContainer;
import org.apache.qpid.server.store.berkeleydb.EnvironmentFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded AMQP 0-9-1 broker of the default stack: Apache Qpid Broker-J, in this process.
 *
 * <p>Its virtual host keeps queues and persistent messages in a store under {@code <data-dir>/broker}
 * ({@link EmbeddedStore}: Berkeley DB JE by default, or Derby), so a restart loses no queued message,
 * and a kill -9 none that was confirmed. The broker configuration itself (port, user) is rebuilt
 * from {@code gamewire/qpid-embedded.json} at each start, plus the virtual host node of the store,
 * so editing {@code application.properties} is all it takes to change it.
 *
 * <p>Qpid differs from RabbitMQ in ways listed in docs/ARCHITECTURE.md ("One bus, two brokers"); gamewire
 * keeps to the subset both share, so nothing here is visible to the routes.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String INITIAL_CONFIGURATION = "gamewire/qpid-embedded.json";
    public static final String MIN_FREE_DISK_PROPERTY = "gamewire.broker.embedded.min-free-disk-mb";
    static final long DEFAULT_MIN_FREE_DISK = 100L * 1024 * 1024;

    private final String bindAddress;
    private final int port;
    private final Path workDir;
    private final String username;
    private final String password;
    private final Map<String, Object> node;
    /** The free space below which the BDB store refuses writes (its own default, 5 GB, stops it on small disks). */
    private long minFreeDiskBytes = DEFAULT_MIN_FREE_DISK;
    private SystemLauncher launcher;
    private volatile SystemConfig<?> systemConfig;
    private volatile CompletableFuture<Void> starting;

    /** The broker on {@code store} under {@code workDir} (one folder per store, see {@link EmbeddedStore}). */
    public EmbeddedBroker(String bindAddress, int port, Path workDir, String username, String password,
            EmbeddedStore store) {
        this(bindAddress, port, workDir, username, password, storeNode(store, workDir));
    }

    /**
     * The broker with the virtual host node {@code node} (Qpid's attributes of a
     * {@code virtualhostnode}): for measuring other stores, see bench/README.md.
     */
    public EmbeddedBroker(String bindAddress, int port, Path workDir, String username, String password,
            Map<String, Object> node) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.username = username;
        this.password = password;
        this.node = node;
    }

    /**
     * The free space on the store's disk below which the Berkeley DB store refuses writes (JE's
     * {@code je.freeDisk}): as the store fills the disk, publishes fail before it is full, and
     * succeed again once space is freed. A disk filled by something else at once still breaks the
     * store (a failed write closes its environment until a restart: docs/RELIABILITY.md). JE's
     * default, 5 GB, refuses every write on a smaller disk, so the broker did not even start there.
     */
    public EmbeddedBroker minFreeDisk(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("the free disk space must not be negative, was " + bytes + " bytes");
        }
        this.minFreeDiskBytes = bytes;
        return this;
    }

    /** The default virtual host node on {@code store}, its virtual host kept in the same store. */
    public static Map<String, Object> storeNode(EmbeddedStore store, Path workDir) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", store.nodeType());
        node.put("storePath", store.path(workDir.toAbsolutePath().normalize()).toString());
        return node;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(workDir);
        requireFreeDisk();
        // Derby writes derby.log into the working directory unless told otherwise
        if ("DERBY".equals(node.get("type")) && System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", workDir.resolve("derby.log").toString());
        }
        Map<String, String> context = new HashMap<>();
        context.put("qpid.amqp_port", Integer.toString(port));
        context.put("qpid.work_dir", workDir.toString());
        context.put("gamewire.broker.bind_address", bindAddress);
        context.put("gamewire.broker.username", username);
        context.put("gamewire.broker.password", password);
        // context variables named je.* configure the BDB store's environment (Qpid's BDBUtils)
        context.put("je.freeDisk", Long.toString(minFreeDiskBytes));

        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "Memory");
        attributes.put("initialConfigurationLocation", initialConfiguration().toUri().toURL().toExternalForm());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("preferenceStoreAttributes", Map.of("type", "Noop"));
        attributes.put("context", context);

        long started = System.nanoTime();
        systemConfig = null; // a restart must not read the previous launch's broker
        launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> config) {
                systemConfig = config;
            }
        });
        // Qpid opens its Derby store through DriverManager, whose login timeout is JVM-wide and set
        // by any connection pool made earlier in this JVM (HikariCP sets it to the pool's timeout):
        // booting and recovering a large store may take longer, so no limit while the broker starts.
        // The BDB store does not use JDBC, so it leaves the JVM-wide setting alone.
        boolean jdbcStore = usesDriverManager(node);
        int loginTimeout = java.sql.DriverManager.getLoginTimeout();
        if (jdbcStore) {
            java.sql.DriverManager.setLoginTimeout(0);
        }
        try {
            launcher.startup(attributes);
        } catch (Exception e) {
            throw new StartupException("the embedded AMQP broker did not start: " + e.getMessage(), e);
        } finally {
            if (jdbcStore) {
                java.sql.DriverManager.setLoginTimeout(loginTimeout);
            }
        }
        // SystemLauncher logs some start-up failures instead of throwing them (a store that does not
        // open, such as a BDB store another process holds): check the virtual host and the port.
        String failure = virtualHostFailure();
        if (failure != null) {
            launcher.shutdown();
            launcher = null;
            throw new StartupException("the embedded AMQP broker's virtual host did not start: " + failure
                    + "; see the log above for Qpid's error (store under " + workDir + ")");
        }
        if (!accepting()) {
            launcher.shutdown();
            launcher = null;
            throw new StartupException("the embedded AMQP broker did not open " + bindAddress + ":" + port
                    + "; see the log above for Qpid's error (store under " + workDir + ")");
        }
        LOG.info("Embedded AMQP broker (Qpid Broker-J) listening on {}:{}, {} store {} (started in {} ms)",
                bindAddress, port, node.get("type"), node.getOrDefault("storePath", workDir),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Fails the start at once when the BDB store's disk has less free space than it needs, where
     * Qpid would wait for a virtual host that never comes and say only "see the log".
     */
    private void requireFreeDisk() throws IOException {
        long usable = Files.getFileStore(workDir).getUsableSpace();
        if (isBerkeleyDb() && usable < minFreeDiskBytes) {
            throw new StartupException("the embedded AMQP broker's store needs " + minFreeDiskBytes / (1024 * 1024)
                    + " MB free on the disk of " + workDir + " (" + MIN_FREE_DISK_PROPERTY + "), which has "
                    + usable / (1024 * 1024) + " MB free: free some space, or lower " + MIN_FREE_DISK_PROPERTY);
        }
    }

    private boolean isBerkeleyDb() {
        return EmbeddedStore.BDB.nodeType().equals(node.get("type"));
    }

    /** Whether the virtual host node {@code node} opens its store through JDBC's {@code DriverManager}. */
    static boolean usesDriverManager(Map<String, Object> node) {
        return !EmbeddedStore.BDB.nodeType().equals(node.get("type"));
    }

    /** Whether this broker's store opens through JDBC's {@code DriverManager} (Derby, JDBC), not BDB. */
    boolean usesDriverManager() {
        return usesDriverManager(node);
    }

    /**
     * {@code gamewire/qpid-embedded.json} with this broker's virtual host node, written to
     * {@code <work-dir>/qpid-initial-config.json} for Qpid to read (rewritten at each start).
     */
    private Path initialConfiguration() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config;
        try (InputStream in = EmbeddedBroker.class.getClassLoader().getResourceAsStream(INITIAL_CONFIGURATION)) {
            config = (ObjectNode) json.readTree(in);
        }
        ObjectNode defaultNode = json.createObjectNode();
        defaultNode.put("name", "default");
        defaultNode.put("defaultVirtualHostNode", "true");
        defaultNode.put("virtualHostInitialConfiguration", "{\"type\": \"ProvidedStore\"}");
        defaultNode.setAll((ObjectNode) json.valueToTree(node));
        ArrayNode nodes = json.createArrayNode().add(defaultNode);
        config.set("virtualhostnodes", nodes);
        Path file = workDir.resolve("qpid-initial-config.json");
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
        return file;
    }

    /**
     * Starts the broker on a thread of its own ({@code gamewire-broker-start}) and returns at once,
     * so that it comes up while the rest of gamewire is built; {@link #awaitStarted()} waits for it.
     * A stop while it is starting waits for the start to end ({@link ServiceSupport} holds its lock
     * through {@link #doStart()}).
     */
    public void startInBackground() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        starting = future;
        Thread thread = new Thread(() -> {
            try {
                start();
                future.complete(null);
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "gamewire-broker-start");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until {@link #startInBackground()}'s start has ended; throws what it failed with. */
    public void awaitStarted() throws Exception {
        CompletableFuture<Void> future = starting;
        if (future == null) {
            throw new IllegalStateException("the embedded AMQP broker was not started");
        }
        long waiting = System.nanoTime();
        try {
            future.get();
            LOG.info("Waited {} ms for the embedded AMQP broker to start", (System.nanoTime() - waiting) / 1_000_000);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StartupException startup) {
                throw startup;
            }
            throw new StartupException("the embedded AMQP broker did not start: " + cause.getMessage(), cause);
        }
    }

    @Override
    protected void doStop() {
        if (launcher != null) {
            launcher.shutdown();
            launcher = null;
            LOG.info("Embedded AMQP broker stopped");
        }
    }

    /** Null once the default virtual host is active, else what is wrong; waits while it is starting. */
    private String virtualHostFailure() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        String state = "no broker";
        while (System.nanoTime() < deadline) {
            VirtualHostNode<?> vhn = virtualHostNode();
            VirtualHost<?> host = vhn == null ? null : vhn.getVirtualHost();
            if (host != null && host.getState() == State.ACTIVE) {
                return null;
            }
            state = vhn == null ? "no virtual host node" : "virtual host node " + vhn.getState()
                    + (host == null ? ", no virtual host" : ", virtual host " + host.getState());
            if (vhn != null && (vhn.getState() == State.ERRORED || host != null && host.getState() == State.ERRORED)) {
                return state;
            }
            Thread.sleep(50);
        }
        return state + " after 120 s";
    }

    /**
     * What broke the broker's store, or null while it works (or is not started yet). A write that
     * fails (a full disk) makes Berkeley DB JE invalidate its environment and Qpid close it
     * ("Closing store environment due to failure on syncing data to disk"); from then on every
     * publish and ack fails until the process restarts. Asked of JE itself, through the
     * environment's transaction statistics, a cheap call that fails once the environment is
     * closed or invalid; for another store, the virtual host's state. Asked by {@code StoreFailureWatch}.
     */
    public String brokenBy() {
        VirtualHostNode<?> vhn = isStarted() ? virtualHostNode() : null;
        if (vhn == null) {
            return null;
        }
        String store = "the embedded AMQP broker's " + node.get("type") + " store under " + workDir;
        if (vhn.getState() == State.ERRORED) {
            return store + ": its virtual host node is ERRORED";
        }
        VirtualHost<?> host = vhn.getVirtualHost();
        if (host != null && host.getState() == State.ERRORED) {
            return store + ": its virtual host is ERRORED";
        }
        if (vhn instanceof BDBEnvironmentContainer<?> container && vhn.getState() == State.ACTIVE) {
            EnvironmentFacade environment = container.getEnvironmentFacade();
            try {
                if (environment != null) {
                    environment.getTransactionStatistics(false);
                }
            } catch (RuntimeException e) {
                // a stop closes the environment too ("Environment is null."): broken only if still running
                return isStarted() && vhn.getState() == State.ACTIVE ? store + " failed: " + e.getMessage() : null;
            }
        }
        return null;
    }

    /** The broker's (only) virtual host node, or null before the broker has one. */
    VirtualHostNode<?> virtualHostNode() {
        SystemConfig<?> config = systemConfig;
        Broker<?> broker = config == null ? null : (Broker<?>) config.getContainer(Broker.class);
        return broker == null ? null : broker.getVirtualHostNodes().stream().findFirst().orElse(null);
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(bindAddress, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }
}
