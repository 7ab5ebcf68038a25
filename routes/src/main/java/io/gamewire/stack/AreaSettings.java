package io.gamewire.stack;

import io.gamewire.admin.AuthFailureLimit;
import io.gamewire.admin.ClientAddresses;
import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import io.gamewire.ingest.tcp.TcpSettings;
import io.gamewire.monitor.tail.Tails;
import io.gamewire.sinks.ConsumedEventQueues;
import io.gamewire.tls.BrokerTls;
import java.nio.file.Path;

/**
 * Every setting of {@code gamewire.*} the composition root uses, typed and read once at start by
 * {@link CoreConfiguration} (bound as {@code gamewireSettings}); each area's configuration class
 * takes its part. A missing or malformed value fails the start there, naming the key.
 */
record AreaSettings(
        Listen listen,
        BusSettings bus,
        StorageSettings storage,
        Titles titles,
        Ingest ingest,
        Store store,
        Pulls pulls,
        Ops ops,
        QueuePolling queuePolling,
        Tails.Limits tails,
        String adminToken,
        AdminAuth adminAuth,
        Console console,
        OpsTools opsTools) {

    /** The bean name. */
    static final String BEAN = "gamewireSettings";

    /** Where gamewire listens ({@code gamewire.http.*}, {@code gamewire.tcp.host/port}). */
    record Listen(String httpHost, int httpPort, String tcpHost, int tcpPort) {
    }

    /** {@code gamewire.titles.*} and whether this instance consumes ({@code gamewire.consumers.enabled}). */
    record Titles(Path dir, int reloadIntervalMs, boolean consumersEnabled) {
    }

    /**
     * The translators: HTTP bodies (their size, their count in a batch, the time a body may take
     * to arrive, 0: no limit), the time a connection may take to send a request's headers (0: no
     * limit), the HTTP server's worker threads, whether events and batches are served on the event loop,
     * request timeouts, the TCP server's limits.
     */
    record Ingest(int httpMaxBodyBytes, int httpMaxBatchEvents, int httpBodyTimeoutMs, int httpHeaderTimeoutMs,
                  int httpWorkerThreads, boolean httpEventPostsOnEventLoop, int requestTimeoutMs, TcpSettings tcp) {
    }

    /**
     * The sinks' batches and retries ({@code gamewire.store.*}), whether the consumers of gamewire's
     * own template store EVENTs without a Camel exchange ({@code consumer-fast-path}) and the event
     * cache's time to live. The retry delays are used by the consumer template as placeholders; they
     * are read here too so that a malformed value fails the start instead of every consumer route.
     */
    record Store(int batchSize, int batchWaitMs, int writers, int retryDelayMs, int maxRetryDelayMs,
                 boolean consumerFastPath, int eventCacheTtlSeconds) {
    }

    /** The pull engine ({@code gamewire.pulls.*}). */
    record Pulls(boolean enabled, String jobStore, int threads, int clusterCheckinMs) {
    }

    /**
     * Operations ({@code gamewire.ops.*}): the bus monitor, what it counts
     * ({@code gamewire.ops.monitor.scope}) and its cap on routing-key labels.
     */
    record Ops(boolean monitor, MonitorScope scope, int maxRoutingKeys) {
    }

    /** What the bus monitor counts on the events exchange ({@code gamewire.ops.monitor.scope}). */
    enum MonitorScope {
        /** The events this instance published, as the broker confirms them: no delivery to the listener. */
        INSTANCE,
        /** Every message on the bus, whoever published it: the listener is bound to {@code #}. */
        BUS
    }

    /**
     * The queue watch ({@code gamewire.ops.queue-poll-interval-ms}, {@code gamewire.ops.rabbitmq-management.*}):
     * an empty {@code managementUrl} means passive declares on the bus monitor's connection. An https
     * URL is called with the broker's trust and client certificate ({@code gamewire.broker.tls.*},
     * {@code managementTls}), which is null otherwise.
     */
    record QueuePolling(int intervalMs, String managementUrl, String managementUser, String managementPassword,
                        BrokerTls managementTls) {
    }

    /**
     * Who may fail to authenticate how often ({@code gamewire.admin.auth-failures-per-minute}, 0: no
     * limit) and whose {@code X-Forwarded-For} names the client ({@code gamewire.admin.trusted-proxies}).
     */
    record AdminAuth(int failuresPerMinute, java.util.List<ClientAddresses.Range> trustedProxies) {
    }

    /**
     * The consoles ({@code gamewire.console.*}): the web console's sessions (how long one lasts
     * after its login, how many are kept, whether the cookie is {@code Secure} even over plain HTTP
     * because TLS ends at a proxy in front); where {@code send} puts a 3-part routing key and
     * {@code replay} goes by default; the most rows and the seconds one read-only {@code sql} may take,
     * and the database account it runs as ({@code sql-user}, {@code sql-password}; empty: a user
     * gamewire makes on H2, gamewire's own account on MySQL/MariaDB).
     */
    record Console(java.time.Duration sessionTtl, int maxSessions, boolean secureCookie, String stagingEnvironment,
                   int sqlMaxRows, int sqlTimeoutSeconds, String sqlUser, String sqlPassword) {
    }

    /**
     * Camel's own tools: the CLI connector for Camel JBang ({@code gamewire.ops.camel-cli.enabled})
     * and Jolokia for Hawtio behind the admin token ({@code gamewire.ops.jolokia.enabled}).
     */
    record OpsTools(boolean camelCli, boolean jolokia) {
    }

    static AreaSettings from(Settings settings) {
        return new AreaSettings(
                new Listen(settings.string("gamewire.http.host"), settings.port("gamewire.http.port"),
                        settings.string("gamewire.tcp.host"), settings.port("gamewire.tcp.port")),
                BusSettings.from(settings),
                StorageSettings.from(settings),
                new Titles(Path.of(settings.string("gamewire.titles.dir")),
                        settings.integer("gamewire.titles.reload-interval-ms"),
                        settings.bool("gamewire.consumers.enabled")),
                new Ingest(settings.integer("gamewire.http.max-body-bytes"),
                        settings.integer("gamewire.http.max-batch-events"),
                        settings.nonNegative("gamewire.http.body-timeout-ms"),
                        settings.nonNegative("gamewire.http.header-timeout-ms"),
                        atLeast(settings, "gamewire.http.worker-threads", 1),
                        settings.bool(io.gamewire.routes.EventPostsOnEventLoop.SETTING),
                        settings.integer("gamewire.requests.timeout-ms"),
                        TcpSettings.from(settings)),
                new Store(settings.integer("gamewire.store.batch-size"), settings.integer("gamewire.store.batch-wait-ms"),
                        settings.integer("gamewire.store.writers"), settings.integer("gamewire.store.retry-delay-ms"),
                        settings.integer("gamewire.store.max-retry-delay-ms"),
                        settings.bool(ConsumedEventQueues.SETTING),
                        settings.integer("gamewire.cache.event-ttl-seconds")),
                new Pulls(settings.bool("gamewire.pulls.enabled"), settings.string("gamewire.pulls.job-store"),
                        settings.integer("gamewire.pulls.threads"), settings.integer("gamewire.pulls.cluster-checkin-ms")),
                new Ops(settings.bool("gamewire.ops.monitor.enabled"), monitorScope(settings),
                        settings.integer("gamewire.ops.max-routing-keys")),
                queuePolling(settings),
                tails(settings),
                settings.string("gamewire.admin.token"),
                adminAuth(settings),
                console(settings),
                new OpsTools(settings.bool("gamewire.ops.camel-cli.enabled"),
                        settings.bool("gamewire.ops.jolokia.enabled")));
    }

    /** The queue watch's settings; the broker's TLS files are read (and checked) only for an https URL. */
    static QueuePolling queuePolling(Settings settings) {
        String url = settings.string("gamewire.ops.rabbitmq-management.url");
        boolean https = url.regionMatches(true, 0, "https:", 0, "https:".length());
        return new QueuePolling(settings.integer("gamewire.ops.queue-poll-interval-ms"), url,
                settings.string("gamewire.ops.rabbitmq-management.user"),
                settings.string("gamewire.ops.rabbitmq-management.password"),
                https ? BrokerTls.forManagementApi(settings) : null);
    }

    /**
     * The live tails' limits ({@code gamewire.ops.max-tails}, {@code tail-buffer}, {@code tail-buffer-bytes},
     * {@code tail-max-rate}).
     */
    private static Tails.Limits tails(Settings settings) {
        return new Tails.Limits(atLeast(settings, "gamewire.ops.max-tails", 0),
                atLeast(settings, "gamewire.ops.tail-buffer", 1), atLeast(settings, "gamewire.ops.tail-buffer-bytes", 1),
                atLeast(settings, "gamewire.ops.tail-max-rate", 0));
    }

    private static MonitorScope monitorScope(Settings settings) {
        String scope = settings.string("gamewire.ops.monitor.scope");
        return switch (scope) {
            case "instance" -> MonitorScope.INSTANCE;
            case "bus" -> MonitorScope.BUS;
            default -> throw new StartupException("property gamewire.ops.monitor.scope must be instance or bus, was '"
                    + scope + "'");
        };
    }

    private static int atLeast(Settings settings, String name, int min) {
        int value = settings.integer(name);
        if (value < min) {
            throw new StartupException("property " + name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    private static AdminAuth adminAuth(Settings settings) {
        java.util.List<ClientAddresses.Range> proxies;
        try {
            proxies = ClientAddresses.parseTrusted(settings.string(ClientAddresses.SETTING));
        } catch (IllegalArgumentException e) {
            throw new StartupException("property " + e.getMessage());
        }
        return new AdminAuth(atLeast(settings, AuthFailureLimit.SETTING, 0), proxies);
    }

    private static Console console(Settings settings) {
        java.time.Duration sqlTimeout = settings.duration("gamewire.console.sql-timeout");
        if (sqlTimeout.toMillis() < 1000 || sqlTimeout.toMillis() % 1000 != 0) {
            // JDBC's query timeout is whole seconds
            throw new StartupException("property gamewire.console.sql-timeout must be whole seconds, at least 1s,"
                    + " such as 10s, was " + sqlTimeout.toMillis() + " ms");
        }
        return new Console(settings.duration("gamewire.console.session-ttl"),
                settings.integer("gamewire.console.max-sessions"), settings.bool("gamewire.console.secure-cookie"),
                settings.string("gamewire.console.staging-environment").strip(),
                atLeast(settings, "gamewire.console.sql-max-rows", 1), (int) sqlTimeout.toSeconds(),
                settings.string("gamewire.console.sql-user").strip(), settings.string("gamewire.console.sql-password"));
    }
}
