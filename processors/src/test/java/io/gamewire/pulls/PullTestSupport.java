package io.gamewire.pulls;

import io.gamewire.bus.PublishOrder;
import io.gamewire.bus.PublishOrders;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.testsupport.MutableClock;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.Body;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import io.gamewire.titles.model.PullDefinition.Emit;
import io.gamewire.titles.model.PullDefinition.Limits;
import io.gamewire.titles.model.PullDefinition.Rate;
import io.gamewire.titles.model.PullDefinition.Window;
import io.gamewire.titles.model.PullDefinition.Paging;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import io.gamewire.titles.model.PullDefinition.Request;
import io.gamewire.titles.model.PullDefinition.Schedule;
import io.gamewire.titles.model.PullDefinition.Watermark;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pull engine's tests share: a MockWebServer replaying a publisher's API, the embedded
 * KV store, a publisher that records what it was given, a sleeper that only records, a clock the
 * test moves, and a builder of pull definitions.
 */
abstract class PullTestSupport {

    static final String TITLE = "halo";
    static final String ROUTING_KEY = "halo.prod.stats.leaderboard";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path folder;

    MockWebServer server;
    KvStore kv;
    RecordingPublisher publisher;
    List<Duration> sleeps;
    MutableClock clock;
    SimpleMeterRegistry meters;
    Map<String, String> environment;
    PullRunner runner;

    @BeforeEach
    void startServer() throws Exception {
        server = new MockWebServer();
        server.start();
        kv = new MvStoreKvStore(folder.resolve("kv.mv"));
        publisher = new RecordingPublisher();
        sleeps = Collections.synchronizedList(new ArrayList<>());
        clock = new MutableClock(NOW);
        meters = new SimpleMeterRegistry();
        environment = new HashMap<>();
        runner = newRunner();
    }

    /** A runner as after a restart: the same KV store, publisher and clock, nothing in memory (no dedupe). */
    PullRunner newRunner() {
        return newRunner(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    /** A runner as {@link #newRunner()}, sending with {@code http}. */
    PullRunner newRunner(HttpClient http) {
        return newRunner(http, kv);
    }

    /** A runner as {@link #newRunner()}, sending with {@code http} and keeping its state in {@code store}. */
    PullRunner newRunner(HttpClient http, KvStore store) {
        return new PullRunner(http, publisher, store, meters, environment::get, sleeps::add, clock,
                new SplittableRandom(7), io.gamewire.camel.NamedThreads.PLAIN);
    }

    /**
     * Serves a feed of two pages, items a and b (seq 1, 2), then c (seq 3) once {@code release} is
     * counted down (waiting at most {@code hold}): a run can be caught waiting for its second page.
     * The pull that reads it: {@link #cursorFeed()}.
     */
    void serveTwoPagesTheSecondHeldBack(java.util.concurrent.CountDownLatch release, Duration hold) {
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if ("p2".equals(request.getUrl().queryParameter("cursor"))) {
                    release.await(hold.toMillis(), TimeUnit.MILLISECONDS);
                    return json("{\"items\": [{\"id\": \"c\", \"seq\": 3}]}");
                }
                return json("{\"items\": [{\"id\": \"a\", \"seq\": 1}, {\"id\": \"b\", \"seq\": 2}], \"next\": \"p2\"}");
            }
        });
    }

    /** The pull of {@code /feed}: its items, paged by a cursor, watermarked by their seq. */
    PullDefinition cursorFeed() {
        return new PullBuilder(url("/feed")).jsonItems("$.items").cursor("cursor", "$.next")
                .watermark("since", "$.seq", WatermarkKind.ID, "0").build();
    }

    @AfterEach
    void stopServer() {
        server.close();
        kv.close();
    }

    String url(String path) {
        return server.url(path).toString();
    }

    RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request reached the server");
        }
        return request;
    }

    static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse.Builder jsonBuilder(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json; charset=utf-8")
                .body(body);
    }

    /** A 200 of {@code contentType} whose body is exactly {@code body}, bytes that need not be UTF-8. */
    static MockResponse.Builder bytes(String contentType, byte[] body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", contentType)
                .body(new okio.Buffer().write(body));
    }

    /** {@code body} gzipped, for a response with {@code Content-Encoding: gzip}. */
    static okio.Buffer gzipped(byte[] body) throws java.io.IOException {
        okio.Buffer zipped = new okio.Buffer();
        try (okio.BufferedSink sink = okio.Okio.buffer(new okio.GzipSink(zipped))) {
            sink.write(body);
        }
        return zipped;
    }

    static JsonPath path(String text) {
        return text.equals("$") ? new JsonPath("$", List.of())
                : JsonPath.parse(text).orElseThrow(() -> new IllegalArgumentException(text));
    }

    double counter(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    String storedWatermark(String pull) {
        return kv.get(PullState.key(TITLE, pull)).get(PullState.WATERMARK);
    }

    /** A pull definition, with test defaults; each method replaces one part. */
    static final class PullBuilder {
        String name = "leaderboard";
        Request request;
        Paging paging = Paging.NONE;
        Body body = new Body(BodyFormat.JSON_ARRAY, null);
        Watermark watermark;
        Emit emit = new Emit(ROUTING_KEY, path("$"), path("$.id"));
        Limits limits = new Limits(20, 1000, Duration.ofHours(1), 3, Duration.ofSeconds(30), 3, Duration.ofMinutes(5),
                Limits.DEFAULT_MAX_DOCUMENT_BYTES);
        Rate rate = Rate.DEFAULT;
        Window window;
        PullDefinition.Follow follow;
        PullDefinition.Index index;

        PullBuilder(String url) {
            request = new Request(url, Map.of(), Auth.NONE, Duration.ofSeconds(5), false);
        }

        PullBuilder name(String value) {
            name = value;
            return this;
        }

        PullBuilder conditional() {
            request = new Request(request.url(), request.headers(), request.auth(), request.timeout(), true);
            return this;
        }

        PullBuilder auth(Auth value) {
            request = new Request(request.url(), request.headers(), value, request.timeout(), request.conditional());
            return this;
        }

        PullBuilder headers(Map<String, String> value) {
            request = new Request(request.url(), value, request.auth(), request.timeout(), request.conditional());
            return this;
        }

        PullBuilder cursor(String param, String from) {
            paging = new Paging(PagingKind.CURSOR, param, path(from), null, 0, 0);
            return this;
        }

        PullBuilder pages(PagingKind kind, String param, String sizeParam, int size, int first) {
            paging = new Paging(kind, param, null, sizeParam, size, first);
            return this;
        }

        PullBuilder link() {
            paging = new Paging(PagingKind.LINK, null, null, null, 0, 0);
            return this;
        }

        PullBuilder jsonItems(String items) {
            body = new Body(BodyFormat.JSON_ITEMS, path(items));
            return this;
        }

        PullBuilder ndjson() {
            body = new Body(BodyFormat.NDJSON, null);
            return this;
        }

        PullBuilder watermark(String param, String from, WatermarkKind kind, String initial) {
            watermark = new Watermark(param, path(from), kind, initial);
            return this;
        }

        PullBuilder emit(String payload, String id) {
            emit = new Emit(ROUTING_KEY, path(payload), path(id));
            return this;
        }

        PullBuilder limits(int maxPages, int maxAttempts, Duration maxBackoff, int breakerFailures,
                           Duration breakerOpenFor) {
            limits = new Limits(maxPages, limits.dedupeSize(), limits.dedupeTtl(), maxAttempts, maxBackoff,
                    breakerFailures, breakerOpenFor, limits.maxDocumentBytes());
            return this;
        }

        PullBuilder maxDocumentBytes(int value) {
            limits = new Limits(limits.maxPages(), limits.dedupeSize(), limits.dedupeTtl(), limits.maxAttempts(),
                    limits.maxBackoff(), limits.breakerFailures(), limits.breakerOpenFor(), value);
            return this;
        }

        PullBuilder rate(Rate value) {
            rate = value;
            return this;
        }

        PullBuilder follow(String url, boolean merge, int concurrency) {
            follow = new PullDefinition.Follow(url, merge, concurrency);
            return this;
        }

        PullBuilder index(String items, String url, boolean newestFirst) {
            index = new PullDefinition.Index(path(items), url, newestFirst);
            return this;
        }

        PullBuilder window(Window value) {
            window = value;
            return this;
        }

        PullBuilder keyset(String param, String from, long add, String sizeParam, int size) {
            paging = new Paging(PagingKind.KEYSET, param, path(from), sizeParam, size, 0, add);
            return this;
        }

        PullDefinition build() {
            return new PullDefinition(name, "", new Schedule(null, Duration.ofMinutes(5)), request, paging, body,
                    watermark, emit, limits, rate, window, follow, index);
        }
    }

    /**
     * Records every publish and dead letter; confirms them unless {@link #confirm} or {@link
     * #deadLetterConfirm} says otherwise; refuses the payloads {@link #refusal} names a reason for, as
     * a schema would.
     */
    static final class RecordingPublisher implements PullPublisher {

        record Published(String routingKey, String payload, String itemId, UUID messageId, PublishOrder order) {
        }

        record DeadLettered(String itemId, UUID messageId, String reason) {
        }

        final List<Published> published = Collections.synchronizedList(new ArrayList<>());
        final List<DeadLettered> deadLettered = Collections.synchronizedList(new ArrayList<>());
        /** Decides each publish's confirm by item id; confirms all by default. */
        volatile Function<String, CompletableFuture<Void>> confirm = id -> CompletableFuture.completedFuture(null);
        /** Decides each dead letter's confirm by item id; confirms all by default. */
        volatile Function<String, CompletableFuture<Void>> deadLetterConfirm =
                id -> CompletableFuture.completedFuture(null);
        /** Why a payload is refused, or null when it is not; none is by default. */
        volatile Function<String, String> refusal = payload -> null;

        /** Every order a run opened, in turn; an order's lane is its number here. */
        final List<PublishOrder> orders = Collections.synchronizedList(new ArrayList<>());
        /** The lanes (numbers) of the orders closed, in turn. */
        final List<Integer> closedOrders = Collections.synchronizedList(new ArrayList<>());

        @Override
        public synchronized PublishOrder openOrder() {
            int lane = orders.size();
            PublishOrder order = PublishOrders.onLane(lane, () -> closedOrders.add(lane));
            orders.add(order);
            return order;
        }

        /** The order each item was published in, in turn. */
        List<PublishOrder> publishOrders() {
            synchronized (published) {
                return published.stream().map(Published::order).toList();
            }
        }

        @Override
        public CompletableFuture<Void> publish(PulledItem item, PublishOrder order) {
            String payload = new String(item.payload(), StandardCharsets.UTF_8);
            String refused = refusal.apply(payload);
            if (refused != null) {
                throw new ItemRefusedException(refused, null);
            }
            published.add(new Published(item.routingKey(), payload, item.id(), item.messageId(), order));
            return confirm.apply(item.id());
        }

        @Override
        public CompletableFuture<Void> deadLetter(PulledItem item, String reason) {
            deadLettered.add(new DeadLettered(item.id(), item.messageId(), reason));
            return deadLetterConfirm.apply(item.id());
        }

        List<String> ids() {
            synchronized (published) {
                return published.stream().map(Published::itemId).toList();
            }
        }

        List<UUID> messageIds() {
            synchronized (published) {
                return published.stream().map(Published::messageId).toList();
            }
        }
    }

    static Map<String, String> params(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
