package io.gamewire.it;

import io.gamewire.GamewireApplication;
import io.gamewire.routes.TcpIngestRoutes;
import io.gamewire.testsupport.RealServices;
import io.gamewire.testsupport.TitleFixtures;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.deploy.TitleDeployer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import org.apache.camel.CamelContext;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * gamewire started in-process for one test class, on the stack the build asked for
 * ({@code -Dgamewire.test.stack=embedded}, the default, or {@code services} with {@code -Pservices}).
 *
 * <p>Every run gets its own names, so runs never meet on shared services: a data folder, free
 * ports, exchange {@code gwtest<id>.events}, service queues of title {@code t<id>}, and on the real
 * services a database {@code gwtest_<id>} and key prefixes. {@link #close()} removes them all.
 */
final class GamewireUnderTest implements AutoCloseable {

    /** The stack of this build's tests ({@code -Pservices}: the real services); a test may choose the other. */
    static final boolean SERVICES = "services".equals(System.getProperty("gamewire.test.stack", "embedded"));

    static {
        // the first end-to-end test of a run: SecretsInLogsCheck reads this run's secrets only
        try {
            SecretsInLogsCheck.startRun();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
    /** The repository's config/, whose properties files every run copies. */
    /**
     * How long a started process ({@link #startProcess}) may take to be healthy: seconds as a rule,
     * but 60 to 95 s were seen on a 2-core machine at load 20–35 shared with other builds.
     */
    static final java.time.Duration PROCESS_START_LIMIT = java.time.Duration.ofSeconds(180);
    static final Path REPO_CONFIG = Path.of(System.getProperty("user.dir")).resolve("../config").normalize();

    final String id = RealServices.uniqueName("");
    final String title = "t" + id;
    /** May publish and query dev and prod of this run's title; sent by post() and get(). */
    final String apiKey = "key-" + id;
    /** May use dev only. */
    final String devOnlyKey = "dev-" + id;
    /** Limited to 2 events per second. */
    final String slowKey = "slow-" + id;
    final String exchange = "gwtest" + id + ".events";
    final String deadLetterExchange = "gwtest" + id + ".dlx";
    final List<String> services = List.of(title + ".dev.scores", title + ".prod.scores", title + ".dev.players",
            title + ".prod.players");
    /** Further service queues a test made (other titles), removed from RabbitMQ at the end. */
    final List<String> extraServices = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Path dataDir;
    final Path configDir;
    final Path titlesDir;
    final int httpPort;
    /** The GWP TCP port. */
    final int tcpPort;
    final Map<String, String> overrides = new HashMap<>();
    /** On the real services (the prod profile), or the embedded stack. */
    final boolean onServices;
    private final String database = "gwtest_" + id;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GamewireApplication app;

    GamewireUnderTest() throws IOException {
        this(Path.of(System.getProperty("java.io.tmpdir")), SERVICES);
    }

    /** A run under a folder of {@code root} (a small file system, say), on the stack chosen. */
    GamewireUnderTest(Path root, boolean onServices) throws IOException {
        this.onServices = onServices;
        dataDir = Files.createTempDirectory(root, "gamewire-it-");
        configDir = dataDir.resolve("config");
        titlesDir = configDir.resolve("titles");
        Files.createDirectories(titlesDir);
        for (String file : List.of("application.properties", "application-prod.properties")) {
            Files.copy(REPO_CONFIG.resolve(file), configDir.resolve(file));
        }
        writeTitle(titleYaml());
        httpPort = freePort();
        tcpPort = freePort();
        overrides.put("gamewire.tcp.port", Integer.toString(tcpPort));
        overrides.put("gamewire.data-dir", dataDir.toString());
        overrides.put("gamewire.http.port", Integer.toString(httpPort));
        overrides.put("gamewire.bus.exchange", exchange);
        overrides.put("gamewire.bus.dead-letter-exchange", deadLetterExchange);
        overrides.put("gamewire.titles.reload-interval-ms", "300");
        overrides.put("gamewire.dsl-yaml.dir", dataDir.resolve("dsl-yaml").toString());
        overrides.put("gamewire.store.retry-delay-ms", "50");
        if (onServices) {
            RealServices.requireReachable("RabbitMQ", RealServices.RABBIT_HOST, RealServices.RABBIT_PORT);
            RealServices.createDatabase(database);
            overrides.put("gamewire.broker.host", RealServices.RABBIT_HOST);
            overrides.put("gamewire.broker.port", Integer.toString(RealServices.RABBIT_PORT));
            overrides.put("gamewire.broker.username", RealServices.RABBIT_USER);
            overrides.put("gamewire.broker.password", RealServices.RABBIT_PASSWORD);
            overrides.put("gamewire.db.url", RealServices.mysqlUrl(database));
            overrides.put("gamewire.db.user", RealServices.MYSQL_USER);
            overrides.put("gamewire.db.password", RealServices.MYSQL_PASSWORD);
            overrides.put("gamewire.kv.redis.host", RealServices.REDIS_HOST);
            overrides.put("gamewire.kv.redis.port", Integer.toString(RealServices.REDIS_PORT));
            overrides.put("gamewire.kv.key-prefix", "gwtest" + id + ":");
            overrides.put("gamewire.cache.memcached.servers", RealServices.MEMCACHED_SERVERS);
            overrides.put("gamewire.cache.key-prefix", "gwtest" + id + ":");
        } else {
            overrides.put("gamewire.broker.embedded.port", Integer.toString(freePort()));
        }
    }

    /** Title files that {@link #writeSlowTitles()} adds (fixture slow-title): each makes a table and a queue. */
    private static final int SLOW_TITLES = 25;

    /**
     * Adds title files that load after this run's title ("t&lt;id&gt;" sorts before them), so that
     * every title load takes a while: a consumer that started before all titles of the load were
     * in force would meet commands it cannot find yet.
     */
    void writeSlowTitles() throws IOException {
        for (int i = 0; i < SLOW_TITLES; i++) {
            String name = "u" + id + "s" + i;
            Files.writeString(titlesDir.resolve(name + ".yaml"),
                    TitleFixtures.read("slow-title", Map.of("title", name)));
            extraServices.add(name + ".prod.s");
        }
    }

    /** This run's MySQL database name (services stack only). */
    String database() {
        return database;
    }

    /** This run's title file ({@code titles/it-title.yaml}), with its keys. */
    String titleYaml() {
        return TitleFixtures.read("it-title", Map.of("title", title, "test-servers-sha256", ApiKeyRing.sha256(apiKey),
                "dev-only-sha256", ApiKeyRing.sha256(devOnlyKey), "slow-sha256", ApiKeyRing.sha256(slowKey)));
    }

    /**
     * This run's title file followed by the {@code pulls:} section of fixture {@code pulls}
     * ({@code titles/<pulls>.yaml}): pull {@code scores} from {@code url} into {@code scores.scored} on dev.
     */
    String titleYamlWithPull(String pulls, String url) {
        return titleYaml() + TitleFixtures.read(pulls, Map.of("url", url, "routing-key", services.get(0) + ".scored"));
    }

    /** The one number a query such as {@code SELECT COUNT(*) FROM ...} gives, from gamewire's database. */
    long count(String sql) throws Exception {
        return TestDatabase.of(this).count(sql);
    }

    /** Writes (or replaces) this run's title file. */
    void writeTitle(String yaml) throws IOException {
        Path file = titlesDir.resolve(title + ".yaml");
        Path temporary = titlesDir.resolve(title + ".yaml.tmp");
        Files.writeString(temporary, yaml);
        // a rename, so that the reloader never reads a half-written file
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    GamewireUnderTest start() throws Exception {
        registerSecrets(overrides);
        app = new GamewireApplication(configDir, onServices ? "prod" : null, overrides);
        try {
            app.start();
        } catch (Exception | Error e) {
            // a start that failed (a port taken, say) is the test's failure: stopApplication would
            // otherwise wait for ports it never held and hide it behind a time-out
            GamewireApplication failed = app;
            app = null;
            try {
                failed.stop();
            } catch (Exception | Error stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        // the titles are loaded on their own thread once Camel has started: wait until this run's
        // title (with its keys) is in force and its consumers exist
        // (an ingest-only instance, gamewire.consumers.enabled=false, has none)
        boolean consumers = !"false".equals(overrides.get("gamewire.consumers.enabled"));
        await().atMost(Duration.ofSeconds(60)).until(() -> bean("titleRegistry", TitleRegistry.class).titles()
                .containsKey(title)
                && (!consumers || services.stream().allMatch(service -> camel().getRoute(TitleDeployer.routeId(service)) != null))
                && camel().getRouteController().getRouteStatus(TcpIngestRoutes.ROUTE_ID).isStarted());
        return this;
    }

    /**
     * gamewire in a process of its own on this run's configuration and overrides (plus
     * {@code more}), its output in {@link #processLog}; stop it with
     * {@link Process#destroy()} (SIGTERM) or {@link Process#destroyForcibly()} (SIGKILL).
     */
    Process startProcess(Map<String, String> more) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.gamewire.GamewireMain",
                "--config", configDir.toString()));
        if (onServices) {
            command.addAll(List.of("--profile", "prod"));
        }
        Map<String, String> settings = new HashMap<>(overrides);
        settings.putAll(more);
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            command.addAll(List.of("--set", setting.getKey() + "=" + setting.getValue()));
        }
        registerSecrets(settings);
        java.io.File log = processLog(Integer.parseInt(settings.get("gamewire.http.port"))).toFile();
        // appended: a restarted process on the same port writes after the one before (SecretsInLogsCheck reads all)
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
    }

    /** Stops a process {@link #startProcess} started: SIGTERM, and SIGKILL if it has not ended within a minute. */
    static void stopProcess(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The output of the process {@link #startProcess} started on HTTP port {@code httpPort}; kept after the run. */
    Path processLog(int httpPort) throws IOException {
        return Files.createDirectories(SecretsInLogsCheck.PROCESS_LOGS).resolve("process-" + id + "-" + httpPort + ".log");
    }

    /**
     * Writes down the keys, tokens and passwords of this run, for {@link SecretsInLogsCheck}: the
     * API keys, and every setting named like a token or password, of 8 characters or more (shorter
     * ones, such as RabbitMQ's guest, cannot be told from ordinary words).
     */
    private void registerSecrets(Map<String, String> settings) throws IOException {
        java.util.Set<String> secrets = new java.util.TreeSet<>(List.of(apiKey, devOnlyKey, slowKey));
        settings.forEach((name, value) -> {
            if (name.matches(".*(token|password).*") && value.length() >= 8) {
                secrets.add(value);
            }
        });
        SecretsInLogsCheck.register(secrets);
    }

    /**
     * Another instance of this run, for a process of its own ({@link #startPeer}): this run's title,
     * exchange, database, key prefixes and broker, on ports and a data folder of its own.
     */
    record Peer(int httpPort, int tcpPort, Path dataDir) {
    }

    /** A peer on free ports, its data folder under this run's. */
    Peer newPeer() throws IOException {
        return newPeer(freePort());
    }

    /** A peer on HTTP port {@code peerHttpPort} and a free GWP port, its data folder under this run's. */
    Peer newPeer(int peerHttpPort) throws IOException {
        return new Peer(peerHttpPort, freePort(), Files.createDirectories(dataDir.resolve("peer-" + peerHttpPort)));
    }

    /** Starts {@code peer} in a process of its own ({@link #startProcess}); again after it was stopped or killed. */
    Process startPeer(Peer peer) throws IOException {
        return startProcess(Map.of("gamewire.http.port", Integer.toString(peer.httpPort()),
                "gamewire.tcp.port", Integer.toString(peer.tcpPort()), "gamewire.data-dir", peer.dataDir().toString()));
    }

    /**
     * A clustered pair on the services stack: another instance in a process of its own on HTTP port
     * {@code peerPort} ({@link #startPeer}), then this one, once both have checked in to Quartz's
     * cluster. The caller stops the process; it is stopped here when the pair does not come up.
     */
    Process startWithPeer(int peerPort) throws Exception {
        Process peer = startPeer(newPeer(peerPort));
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> healthy(peerPort));
            start();
            await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE") == 2);
            return peer;
        } catch (Exception | Error e) {
            peer.destroyForcibly().waitFor();
            throw e;
        }
    }

    /**
     * Sends a REQUEST on {@code open} (authenticated) that stays in flight: the consumer of
     * {@code <title>.dev.players} is stopped, so it waits for {@code gamewire.requests.timeout-ms},
     * and a stop's GWP drain waits for it. Returns the REQUEST once gamewire counts it in flight.
     */
    io.gamewire.protocol.Envelope holdARequestInFlight(GwpSocket open) throws Exception {
        String service = title + ".dev.players";
        camel().getRouteController().stopRoute(TitleDeployer.routeId(service));
        io.gamewire.protocol.Envelope request = GwpSocket.request(service + ".get", "{\"playerId\":\"p\"}");
        open.send(request);
        await().atMost(Duration.ofSeconds(5)).until(() -> bean("tcpConnections",
                io.gamewire.ingest.tcp.TcpConnections.class).inFlight() == 1);
        return request;
    }

    /** {@link #stopApplication} on another thread: for a test that looks at gamewire while it stops. */
    java.util.concurrent.CompletableFuture<Void> stopInBackground() {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                stopApplication();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Stops gamewire and waits until its HTTP port is free again (Vert.x closes it asynchronously). */
    void stopApplication() throws Exception {
        if (app != null) {
            app.stop();
            app = null;
            await().atMost(Duration.ofSeconds(15)).until(() -> isFree(httpPort) && isFree(tcpPort));
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    CamelContext camel() {
        return app.camelContext();
    }

    <T> T bean(String name, Class<T> type) {
        return camel().getRegistry().lookupByNameAndType(name, type);
    }

    /**
     * A proxy in front of this run's broker (RabbitMQ, or the embedded broker's port), and this
     * gamewire set to connect through it: a test holds, cuts or degrades the link there. Call it
     * before {@link #start()}; close the proxy after.
     */
    TcpProxy brokerBehindProxy() throws IOException {
        TcpProxy proxy = SERVICES ? new TcpProxy(RealServices.RABBIT_HOST, RealServices.RABBIT_PORT)
                : new TcpProxy("127.0.0.1", Integer.parseInt(overrides.get("gamewire.broker.embedded.port")));
        overrides.put("gamewire.broker.host", "127.0.0.1");
        overrides.put("gamewire.broker.port", Integer.toString(proxy.port()));
        return proxy;
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return post(path, contentType, body, apiKey);
    }

    /** A POST with {@code key} as bearer key, or none when it is null. */
    HttpResponse<String> post(String path, String contentType, String body, String key) throws Exception {
        return post(path, contentType, body, key, Map.of());
    }

    /** A POST with {@code key} as bearer key (none when null) and further request headers. */
    HttpResponse<String> post(String path, String contentType, String body, String key, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET()
                .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether {@code /observe/health} on this run's HTTP port answers 200 (every check UP). */
    boolean healthy() {
        return healthy(httpPort);
    }

    /** Whether {@code /observe/health} answers 200 on {@code port} (another instance's). */
    boolean healthy(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    HttpClient http() {
        return http;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    @Override
    public void close() throws Exception {
        try {
            stopApplication();
        } finally {
            if (onServices) {
                removeBusObjects();
                removeKvRecords();
                RealServices.dropDatabase(database);
            }
            deleteTree(dataDir);
        }
    }

    /** Deletes this run's exchange and queues from the shared RabbitMQ. */
    private void removeBusObjects() {
        CachingConnectionFactory factory = new CachingConnectionFactory(RealServices.RABBIT_HOST, RealServices.RABBIT_PORT);
        factory.setUsername(RealServices.RABBIT_USER);
        factory.setPassword(RealServices.RABBIT_PASSWORD);
        try {
            RabbitAdmin admin = new RabbitAdmin(factory);
            for (String service : java.util.stream.Stream.concat(services.stream(), extraServices.stream()).toList()) {
                admin.deleteQueue(service);
                admin.deleteQueue(service + ".dlq");
            }
            admin.deleteExchange(exchange);
            admin.deleteExchange(deadLetterExchange);
        } finally {
            factory.destroy();
        }
    }

    /** Deletes this run's records from the shared Redis (cache entries in memcached expire by TTL). */
    private void removeKvRecords() {
        try (redis.clients.jedis.JedisPooled redis = new redis.clients.jedis.JedisPooled(RealServices.REDIS_HOST,
                RealServices.REDIS_PORT)) {
            for (String key : redis.keys("gwtest" + id + ":*")) {
                redis.del(key);
            }
        }
    }

    /** Ports handed out in this JVM: the kernel may give a port just released by one of them to the next bind(0). */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Where {@link #freePort} looks: from here up to the kernel's ephemeral ports; above the local
     * RabbitMQ cluster's fixed ports (bench/cluster: AMQP 57xx, management 157xx, distribution 257xx),
     * which a node killed by a test takes again when it is started.
     */
    private static final int LOWEST_PORT = 26_000;

    /**
     * A free port no other caller in this JVM was given: an instance's ports are picked before it
     * binds them, so a proxy binding port 0 meanwhile could otherwise take one of them.
     *
     * <p>Taken below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), never from
     * it: a port of that range, free when picked, can become the local port of any outgoing
     * connection (a client's, a pool's) in the seconds before gamewire binds it. In CI a started
     * process then failed to bind its GWP port ("Address already in use"), and the test's client,
     * reconnecting to that port, met a socket that was not gamewire.
     */
    static int freePort() throws IOException {
        int below = ephemeralPortsFrom();
        if (below - LOWEST_PORT < 1_000) {
            return ephemeralFreePort();
        }
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = random.nextInt(LOWEST_PORT, below);
            if (!HANDED_OUT.contains(port) && canBind(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("no free port from " + LOWEST_PORT + " to " + (below - 1) + " in 1,000 tries");
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the servers bind: a port in TIME_WAIT is free for them
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (32768 where it cannot be read). */
    private static int ephemeralPortsFrom() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static int ephemeralFreePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
