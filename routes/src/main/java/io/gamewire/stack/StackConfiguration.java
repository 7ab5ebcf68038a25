package io.gamewire.stack;

import io.gamewire.config.StartupException;
import io.gamewire.config.Settings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.bus.BusMessages;
import io.gamewire.bus.ConfirmingPublisher;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.bus.RequestReplyClient;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.EventAdmission;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ingest.KeyRateLimits;
import io.gamewire.ops.health.BackendHealthCheck;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.camel.GwpDataFormat;
import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.cache.CaffeineEventCache;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.cache.MemcachedEventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.sinks.kv.RedisKvStore;
import io.gamewire.sinks.sql.DatabaseProbe;
import io.gamewire.sinks.sql.PooledDataSources;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.deploy.TitleDeployer;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.TitleTables;
import io.gamewire.titles.TitleWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the stack the routes run on, from properties alone: the AMQP connection (to the embedded
 * broker or RabbitMQ), the database (H2 or MySQL/MariaDB, migrated by Flyway), the KV store and the
 * cache, plus one health check per backend. Routes see only registry beans and endpoint URIs, never
 * which stack they are on.
 *
 * <p>Beans bound here: {@code gwp} (the envelope data format), {@code connectionFactory},
 * {@code dataSource}, {@code sqlEventStore}, {@code kvStore}, {@code eventCache},
 * {@code titleRegistry} (the titles of {@code config/titles/}, reloaded while running),
 * {@code envelopePublisher}, {@code requestReplyClient} and {@code busGateway} (what translators
 * publish and request through). Each is closed when Camel stops, in reverse order.
 */
public class StackConfiguration implements CamelConfiguration {

    /**
     * Quartz for the pulls: in memory, or clustered in the database (its tables made when missing).
     * Set before any pull's Quartz endpoint exists, since the component makes its scheduler then.
     */
    private static void configurePullScheduler(CamelContext camel, Settings settings, javax.sql.DataSource dataSource)
            throws Exception {
        String store = settings.string("gamewire.pulls.job-store");
        if ("jdbc".equals(store)) {
            io.gamewire.pulls.QuartzJobStore.createTables(dataSource);
        }
        org.apache.camel.component.quartz.QuartzComponent quartz =
                camel.getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class);
        java.util.Properties properties = io.gamewire.pulls.QuartzJobStore.properties(store,
                settings.integer("gamewire.pulls.threads"), settings.string("gamewire.db.url"),
                settings.string("gamewire.db.user"), settings.string("gamewire.db.password"),
                settings.integer("gamewire.pulls.cluster-checkin-ms"));
        quartz.setProperties(new java.util.HashMap<>(properties));
    }

    private static final Logger LOG = LoggerFactory.getLogger(StackConfiguration.class);

    /** Room for the envelope fields around an HTTP body: ids, key, content type, attributes. */
    static final int ENVELOPE_OVERHEAD_BYTES = 32 * 1024;

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings settings = new Settings(camel.getPropertiesComponent());
        Registry registry = camel.getRegistry();
        Path dataDir = Path.of(settings.string("gamewire.data-dir"));

        registry.bind("gwp", gwpDataFormat(settings));

        PortCheck.requireFree("HTTP", settings.string("gamewire.http.host"), settings.port("gamewire.http.port"),
                "gamewire.http.port");
        PortCheck.requireFree("GWP TCP", settings.string("gamewire.tcp.host"), settings.port("gamewire.tcp.port"),
                "gamewire.tcp.port");

        if (settings.bool("gamewire.broker.embedded")) {
            int port = settings.port("gamewire.broker.embedded.port");
            PortCheck.requireFree("Embedded AMQP broker", "127.0.0.1", port, "gamewire.broker.embedded.port");
            EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, dataDir.resolve("broker"),
                    settings.string("gamewire.broker.username"), settings.string("gamewire.broker.password"));
            broker.start();
            // Camel stops services in reverse order of adding: the broker, added first, stops last.
            camel.addService(broker, true, true);
        }

        CachingConnectionFactory connectionFactory = connectionFactory(settings);
        camel.addService(closing("AMQP connection", connectionFactory::destroy), true, true);
        registry.bind("connectionFactory", connectionFactory);
        camel.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setConnectionFactory(connectionFactory);
        BusTopology topology = topology(settings, connectionFactory);
        BusClients bus = busClients(camel, settings, connectionFactory);

        HikariDataSource dataSource = PooledDataSources.create(settings.string("gamewire.db.url"),
                settings.string("gamewire.db.user"), settings.string("gamewire.db.password"),
                settings.integer("gamewire.db.pool-size"), settings.integer("gamewire.db.timeout-ms"));
        camel.addService(closing("database pool", dataSource::close), true, true);
        migrate(settings, dataSource);
        configurePullScheduler(camel, settings, dataSource);
        registry.bind("dataSource", dataSource);
        registry.bind("sqlEventStore", new SqlEventStore(dataSource));

        KvStore kvStore = kvStore(settings, dataDir);
        camel.addService(closing("KV store", kvStore::close), true, true);
        registry.bind("kvStore", kvStore);

        EventCache eventCache = eventCache(settings);
        camel.addService(closing("cache", eventCache::close), true, true);
        registry.bind("eventCache", eventCache);

        // the pulls' publisher checks payloads against the titles, which the deployer (and so the
        // pulls) belong to: it finds the registry through this holder once it exists
        java.util.concurrent.atomic.AtomicReference<TitleRegistry> titleHolder =
                new java.util.concurrent.atomic.AtomicReference<>();
        io.gamewire.pulls.PullRunner runner = new io.gamewire.pulls.PullRunner(
                new io.gamewire.pulls.BusPullPublisher(bus.envelopes(), titleHolder::get,
                        new JsonPayloads(new ObjectMapper()), settings.string("gamewire.bus.dead-letter-exchange")),
                kvStore, MetricsRegistry.of(camel));
        registry.bind("pullRunner", runner);
        // manual runs (the admin API, gamewire pull) work on every instance, scheduling or not
        io.gamewire.pulls.ManualPullRuns manualRuns = new io.gamewire.pulls.ManualPullRuns(runner,
                () -> titleHolder.get().titles(), settings.integer("gamewire.pulls.threads"),
                java.time.Clock.systemUTC());
        camel.addService(manualRuns, true, true);
        registry.bind("manualPullRuns", manualRuns);
        registry.bind("scheduledPullRun", new io.gamewire.pulls.ScheduledPullRun(runner::run,
                () -> titleHolder.get().titles()));
        io.gamewire.deploy.PullDeployer pulls = settings.bool("gamewire.pulls.enabled")
                ? new io.gamewire.deploy.PullDeployer(camel, System::getenv) : null;
        TitleRegistry titles = new TitleRegistry(Path.of(settings.string("gamewire.titles.dir")),
                new TitleDeployer(camel, new TitleTables(dataSource), topology,
                        settings.bool("gamewire.consumers.enabled"), pulls));
        titleHolder.set(titles);
        registry.bind("titleRegistry", titles);
        registry.bind("busGateway", new BusGateway(
                new EventAdmission(titles, new KeyRateLimits(), new JsonPayloads(new ObjectMapper())),
                bus.envelopes(), bus.requests(), Duration.ofMillis(settings.integer("gamewire.requests.timeout-ms"))));
        TitleWatcher watcher = new TitleWatcher(titles, settings.integer("gamewire.titles.reload-interval-ms"));
        // titles become routes once the context runs, so that routes made from the template start at once
        camel.addStartupListener(watcher);
        camel.addService(watcher, true, true);
        registry.bind("titleWatcher", watcher);

        int probeSeconds = Math.max(1, settings.integer("gamewire.db.timeout-ms") / 1000);
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        health.register(new BackendHealthCheck("broker", () -> probeBroker(connectionFactory)));
        health.register(new BackendHealthCheck("database", new DatabaseProbe(dataSource, probeSeconds)::check));
        health.register(new BackendHealthCheck("kv", kvStore::ping));
        health.register(new BackendHealthCheck("cache", eventCache::ping));
        health.register(new BackendHealthCheck("titles", () -> {
            if (!watcher.loaded()) {
                throw new IllegalStateException("the title files of " + titles.dir() + " are still being loaded");
            }
        }));
    }

    /**
     * The {@code gwp} data format with the limits from properties. An HTTP body becomes an envelope
     * payload, so the frame limit must leave room for the largest body plus the envelope's fields.
     */
    private static GwpDataFormat gwpDataFormat(Settings settings) {
        // envelopes on the bus may carry what gamewire adds to a client's envelope
        GwpLimits bus = BusMessages.busLimits(settings.clientLimits());
        GwpDataFormat gwp = new GwpDataFormat();
        gwp.setMaxFrameBytes(bus.maxFrameBytes());
        gwp.setMaxAttributes(bus.maxAttributes());
        gwp.setMaxAttributeValueBytes(bus.maxAttributeValueBytes());
        int body = settings.integer("gamewire.http.max-body-bytes");
        int clientFrame = settings.integer(GwpLimits.MAX_FRAME_BYTES_PROPERTY);
        if (body > clientFrame - ENVELOPE_OVERHEAD_BYTES) {
            throw new StartupException("gamewire.http.max-body-bytes (" + body + ") must be at most "
                    + GwpLimits.MAX_FRAME_BYTES_PROPERTY + " (" + clientFrame + ") minus "
                    + ENVELOPE_OVERHEAD_BYTES + " bytes of envelope fields");
        }
        return gwp;
    }

    private static CachingConnectionFactory connectionFactory(Settings settings) {
        String host = settings.string("gamewire.broker.host");
        int port = settings.port("gamewire.broker.port");
        CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
        factory.setUsername(settings.string("gamewire.broker.username"));
        factory.setPassword(settings.string("gamewire.broker.password"));
        factory.setVirtualHost(settings.string("gamewire.broker.virtual-host"));
        factory.setConnectionTimeout(settings.integer("gamewire.broker.timeout-ms"));
        // HTTP answers 202 only after the broker confirmed the message: simple confirms let the
        // producer wait for exactly its own publish.
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        factory.setConnectionNameStrategy(f -> "gamewire");
        return factory;
    }

    /**
     * The confirmed publisher of events and requests ({@code envelopePublisher}) and the requester
     * ({@code requestReplyClient}), each on a connection of its own next to the listeners' one.
     */
    private static BusClients busClients(CamelContext camel, Settings settings, CachingConnectionFactory connectionFactory)
            throws Exception {
        com.rabbitmq.client.ConnectionFactory amqp = connectionFactory.getRabbitConnectionFactory();
        ConfirmingPublisher publisher = new ConfirmingPublisher(amqp, "gamewire-publisher",
                settings.integer("gamewire.bus.publisher-connections"), settings.integer("gamewire.bus.confirm-timeout-ms"));
        EnvelopeCodec busCodec = new EnvelopeCodec(BusMessages.busLimits(settings.clientLimits()));
        EnvelopePublisher envelopes = new EnvelopePublisher(publisher, settings.string("gamewire.bus.exchange"), busCodec);
        RequestReplyClient requests = new RequestReplyClient(amqp, envelopes, busCodec,
                settings.integer("gamewire.requests.max-pending"));
        try {
            publisher.connect();
            requests.start();
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot open the publisher connection or the reply queue on the AMQP broker at "
                    + settings.string("gamewire.broker.host") + ":" + settings.string("gamewire.broker.port") + ": "
                    + rootMessage(e), e);
        }
        camel.addService(closing("AMQP publisher", publisher::close), true, true);
        camel.addService(closing("AMQP request/reply client", requests::close), true, true);
        camel.getRegistry().bind("envelopePublisher", envelopes);
        camel.getRegistry().bind("requestReplyClient", requests);
        return new BusClients(envelopes, requests);
    }

    private record BusClients(EnvelopePublisher envelopes, RequestReplyClient requests) {
    }

    /** The exchanges, declared now so that an unreachable broker fails the start with a clear message. */
    private static BusTopology topology(Settings settings, CachingConnectionFactory connectionFactory) {
        BusTopology topology = new BusTopology(connectionFactory, settings.string("gamewire.bus.exchange"),
                settings.string("gamewire.bus.dead-letter-exchange"),
                BusTopology.parseArguments(settings.string("gamewire.bus.queue-arguments")));
        try {
            topology.declareExchanges();
        } catch (AmqpException e) {
            throw new StartupException("cannot declare exchanges on the AMQP broker at "
                    + settings.string("gamewire.broker.host") + ":" + settings.string("gamewire.broker.port")
                    + " (gamewire.broker.host, gamewire.broker.port): " + rootMessage(e), e);
        }
        return topology;
    }

    private static void migrate(Settings settings, HikariDataSource dataSource) {
        try {
            int applied = SchemaMigrator.migrate(dataSource);
            LOG.info("Database schema up to date ({} migration(s) applied)", applied);
        } catch (RuntimeException e) {
            throw new StartupException("cannot migrate the database at " + settings.string("gamewire.db.url")
                    + " (gamewire.db.url): " + rootMessage(e), e);
        }
    }

    private static KvStore kvStore(Settings settings, Path dataDir) {
        String type = settings.choice("gamewire.kv.type", "embedded", "redis");
        if (type.equals("embedded")) {
            return new MvStoreKvStore(dataDir.resolve("kv").resolve("gamewire.mv.db"));
        }
        return new RedisKvStore(settings.string("gamewire.kv.redis.host"), settings.port("gamewire.kv.redis.port"),
                settings.string("gamewire.kv.redis.password"), settings.integer("gamewire.kv.redis.timeout-ms"),
                settings.string("gamewire.kv.key-prefix"));
    }

    private static EventCache eventCache(Settings settings) {
        String type = settings.choice("gamewire.cache.type", "embedded", "memcached");
        if (type.equals("embedded")) {
            return new CaffeineEventCache(settings.integer("gamewire.cache.max-entries"));
        }
        return new MemcachedEventCache(settings.string("gamewire.cache.memcached.servers"),
                settings.integer("gamewire.cache.memcached.timeout-ms"), settings.string("gamewire.cache.key-prefix"));
    }

    private static void probeBroker(CachingConnectionFactory connectionFactory) {
        Connection connection = connectionFactory.createConnection();
        if (!connection.isOpen()) {
            throw new IllegalStateException("AMQP connection to " + connectionFactory.getHost() + ":"
                    + connectionFactory.getPort() + " is closed");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + root + ")";
    }

    /** A Camel service that runs {@code close} when the context stops. */
    private static ServiceSupport closing(String what, Runnable close) {
        return new ServiceSupport() {
            @Override
            protected void doStop() {
                LOG.debug("Closing {}", what);
                close.run();
            }

            @Override
            public String toString() {
                return what;
            }
        };
    }
}
