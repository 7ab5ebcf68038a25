package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.bus.RequestReplyClient;
import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.BusSteps;
import io.gamewire.ingest.EventAdmission;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ingest.KeyRateLimits;
import io.gamewire.ingest.RedisKeyBuckets;
import io.gamewire.ingest.http.BatchPublishing;
import io.gamewire.ingest.http.EventReader;
import io.gamewire.ingest.http.HttpBatches;
import io.gamewire.ingest.http.HttpEventBodies;
import io.gamewire.ingest.http.HttpEventSteps;
import io.gamewire.ingest.http.HttpEvents;
import io.gamewire.ingest.http.HttpQuerySteps;
import io.gamewire.ingest.tcp.GwpServerInitializer;
import io.gamewire.ingest.tcp.LostAnswerLogging;
import io.gamewire.ingest.tcp.TcpConnections;
import io.gamewire.ingest.tcp.TcpDrain;
import io.gamewire.ingest.tcp.TcpEvents;
import io.gamewire.ingest.tcp.TcpSettings;
import io.gamewire.ingest.tcp.TcpSteps;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.routes.ApiGate;
import io.gamewire.routes.EventPostsOnEventLoop;
import io.gamewire.routes.ForcedStopAnswers;
import io.gamewire.routes.HttpBodyTimeout;
import io.gamewire.routes.HttpHeaderTimeout;
import io.gamewire.routes.TcpIngestRoutes;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.TitleWatcher;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import io.gamewire.tls.ServerTls;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The translators' steps, which the HTTP and TCP routes name. Shared ({@link BusSteps}):
 * {@code admit}, {@code publishAndConfirm}, {@code requestAndAwaitReply}, over {@code busGateway}
 * (the TCP route names {@code admit} and {@code requestAndAwaitReply}; TCP EVENTs call the gateway
 * through {@code TcpEvents}).
 * HTTP: {@code httpReadEvent}, {@code httpAnswerAccepted}, {@code httpReadBatch},
 * {@code httpPublishBatch}, {@code httpAnswerResults}, {@code httpReadRequest},
 * {@code httpAnswerReply}, {@code eventReader}. TCP: {@code gwpServerInitializer} (the pipeline),
 * {@code tcpConnections}, {@code tcpReadFrame}, {@code tcpAnswerError} (EVENTs take {@code TcpEvents}); the
 * TCP port opens once the title files (and so the API keys) are loaded.
 */
public class IngestConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        AreaSettings.Ingest ingest = settings.ingest();
        Registry registry = camel.getRegistry();
        ObjectMapper json = bean(camel, "json", ObjectMapper.class);
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);

        KeyRateLimits rateLimits = rateLimits(settings(camel), settings.storage()).registerIn(MetricsRegistry.of(camel));
        closeOnStop(camel, "rate limits", rateLimits::close);
        BusGateway gateway = new BusGateway(new EventAdmission(titles, rateLimits, new JsonPayloads(json)),
                bean(camel, "envelopePublisher", EnvelopePublisher.class),
                bean(camel, "requestReplyClient", RequestReplyClient.class),
                Duration.ofMillis(ingest.requestTimeoutMs()));
        registry.bind("busGateway", gateway);
        BusSteps bus = new BusSteps(gateway);
        registry.bind("admit", bus.admit());
        registry.bind("publishAndConfirm", bus.publishAndConfirm());
        registry.bind("requestAndAwaitReply", bus.requestAndAwaitReply());

        // TLS: one identity for both ports, each port's own switch (null: plaintext on both)
        ServerTls tls = ServerTls.from(settings(camel));
        if (tls != null && tls.http()) {
            // platform-http takes these with camel.server.useGlobalSslContextParameters={{gamewire.http.tls}}
            camel.setSSLContextParameters(tls.httpParameters());
        }
        httpSteps(camel, settings, ingest, json, titles, gateway);
        ApiGate.install(camel, settings.listen().httpPort());
        ForcedStopAnswers forcedStop = ForcedStopAnswers.install(camel, settings.listen().httpPort());
        HttpBodyTimeout.install(camel, settings.listen().httpPort(), ingest.httpBodyTimeoutMs());
        // the Vert.x that serves HTTP is made from these (by HttpHeaderTimeout, else by platform-http,
        // which looks them up by type): Camel's HTTP consumer holds a worker thread per request until
        // its answer (a confirm, a query's reply), so the pool bounds the requests served at once
        VertxOptions vertxOptions = new VertxOptions().setWorkerPoolSize(ingest.httpWorkerThreads());
        registry.bind("gamewireVertxOptions", VertxOptions.class, vertxOptions);
        failStartOnAnotherVertxOptions(camel);
        HttpHeaderTimeout.install(camel, settings.listen().httpPort(), ingest.httpHeaderTimeoutMs(), vertxOptions);
        if (ingest.httpEventPostsOnEventLoop()) { // last in front of the routes: the handlers above see each request first
            EventPostsOnEventLoop.install(camel, settings.listen().httpPort(), ingest.httpMaxBodyBytes(),
                    bean(camel, "httpEvents", HttpEvents.class), bean(camel, "httpBatches", HttpBatches.class));
        }
        tcpSteps(camel, ingest.tcp(), tls != null && tls.tcp() ? tls.gwpContext() : null, titles, gateway);
        // after tcpSteps' TcpDrain: Camel's shutdown timeout starts only once the drain is over
        forcedStop.answerBeforeTheStopIsForced(camel);
    }

    /**
     * platform-http takes its Vert.x options by type, and finds none when two beans have the type:
     * then its Vert.x would have Vert.x's 20 worker threads, whatever {@code gamewire.http.worker-threads}
     * says. A second bean (a user route's {@code beans:}) fails the start, naming the setting.
     */
    private static void failStartOnAnotherVertxOptions(CamelContext camel) throws Exception {
        onFullyStarted(camel, context -> {
            int beans = context.getRegistry().findByType(VertxOptions.class).size();
            if (beans != 1) {
                throw new IllegalStateException(beans + " beans of type io.vertx.core.VertxOptions are bound, so"
                        + " the HTTP server's Vert.x takes none and gamewire.http.worker-threads is not in force;"
                        + " gamewire binds its own (gamewireVertxOptions): remove the other");
            }
        });
    }

    /** The setting that bounds a rate-limit call to Redis. */
    static final String RATE_LIMITS_REDIS_TIMEOUT = "gamewire.rate-limits.redis-timeout-ms";

    /**
     * The API keys' rate limits: in Redis, shared by every instance ({@value KeyRateLimits#SHARED_SETTING},
     * at the KV store's Redis, under its key prefix), or in this instance.
     */
    static KeyRateLimits rateLimits(Settings settings, StorageSettings storage) {
        if (!settings.bool(KeyRateLimits.SHARED_SETTING)) {
            return new KeyRateLimits();
        }
        if (!storage.redis()) {
            throw new StartupException(KeyRateLimits.SHARED_SETTING + "=true keeps the API keys' rate limits in the"
                    + " KV store's Redis, but gamewire.kv.type is embedded: set gamewire.kv.type=redis (with"
                    + " gamewire.kv.redis.*), or " + KeyRateLimits.SHARED_SETTING + "=false to limit each key in"
                    + " each instance on its own");
        }
        int timeoutMs = settings.integer(RATE_LIMITS_REDIS_TIMEOUT);
        if (timeoutMs <= 0) {
            throw new StartupException(RATE_LIMITS_REDIS_TIMEOUT + " must be at least 1 (ms), was " + timeoutMs);
        }
        return KeyRateLimits.shared(RedisKeyBuckets.connect(storage.redisConnection(), timeoutMs,
                storage.kvKeyPrefix()), KeyRateLimits.RETRY_SHARED_AFTER);
    }

    private static void httpSteps(CamelContext camel, AreaSettings settings, AreaSettings.Ingest ingest,
                                  ObjectMapper json, TitleRegistry titles, BusGateway gateway) {
        Registry registry = camel.getRegistry();
        HttpEventBodies bodies = new HttpEventBodies(json, new EnvelopeCodec(settings.bus().clientLimits()),
                ingest.httpMaxBodyBytes(), ingest.httpMaxBatchEvents());
        BatchPublishing batches = new BatchPublishing(json, gateway);
        HttpEventSteps events = new HttpEventSteps(titles, bodies, batches);
        // single events and batches posted with a length, on the event loop (EventPostsOnEventLoop)
        registry.bind("httpEvents", new HttpEvents(titles, bodies, gateway, MetricsRegistry.of(camel)));
        registry.bind("httpBatches", new HttpBatches(titles, bodies, batches, MetricsRegistry.of(camel)));
        registry.bind("httpReadEvent", events.readEvent());
        registry.bind("httpAnswerAccepted", events.answerAccepted());
        registry.bind("httpReadBatch", events.readBatch());
        registry.bind("httpPublishBatch", events.publishBatch());
        registry.bind("httpAnswerResults", events.answerResults());
        HttpQuerySteps queries = new HttpQuerySteps(json, titles);
        registry.bind("httpReadRequest", queries.readRequest());
        registry.bind("httpAnswerReply", queries.answerReply());
        registry.bind("eventReader", new EventReader(json, titles, bean(camel, "eventCache", EventCache.class),
                bean(camel, "sqlEventStore", SqlEventStore.class),
                Duration.ofSeconds(settings.store().eventCacheTtlSeconds())));
    }

    private static void tcpSteps(CamelContext camel, TcpSettings tcp, SslContext tls, TitleRegistry titles,
                                 BusGateway gateway) {
        Registry registry = camel.getRegistry();
        EnvelopePublisher publisher = bean(camel, "envelopePublisher", EnvelopePublisher.class);
        // each authenticated connection publishes its events in an order of its own (one lane)
        TcpConnections connections = new TcpConnections(tcp.maxConnections(), publisher::openOrder);
        // a blocked broker (memory or disk alarm) pauses reading from every connection
        publisher.publisher().onBlockedChange((blocked, reason) -> connections.brokerBlocked(blocked));
        LostAnswerLogging lostAnswers = new LostAnswerLogging().registerIn(MetricsRegistry.of(camel));
        // EVENTs are admitted, published and answered on the connection's event loop (TcpEvents),
        // REQUESTs go through the route tcp-ingest
        registry.bind("gwpServerInitializer", new GwpServerInitializer(tcp, tls, connections, titles,
                new TcpEvents(gateway, MetricsRegistry.of(camel)), lostAnswers));
        registry.bind("tcpConnections", connections);
        Gauge.builder("gamewire.tcp.frames.in_flight", connections, TcpConnections::inFlight)
                .description("TCP EVENT and REQUEST frames read and not yet answered, over all connections")
                .register(MetricsRegistry.of(camel));
        registry.bind("tcpExceptionHandler", lostAnswers);
        camel.getManagementStrategy().addEventNotifier(new TcpDrain(connections, tcp.drainTimeoutMs()));
        TcpSteps steps = new TcpSteps();
        registry.bind("tcpReadFrame", steps.readFrame());
        registry.bind("tcpAnswerError", steps.answerError());
        // the port opens once the titles (and so the API keys) are loaded: a client connecting
        // earlier would be refused AUTH_FAILED for a key that is about to be valid
        bean(camel, "titleWatcher", TitleWatcher.class).afterFirstLoad(() -> {
            try {
                camel.getRouteController().startRoute(TcpIngestRoutes.ROUTE_ID);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the GWP TCP server (route " + TcpIngestRoutes.ROUTE_ID
                        + ")", e);
            }
        });
    }
}
