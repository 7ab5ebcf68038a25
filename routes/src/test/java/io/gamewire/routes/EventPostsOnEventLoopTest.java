package io.gamewire.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.ingest.http.HttpAnswer;
import io.gamewire.ingest.http.HttpBatches;
import io.gamewire.ingest.http.HttpEvents;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-over of single events and batches on a bare Vert.x router: the handler, then a stand-in
 * for platform-http's routes that answers {@value #PLATFORM_HTTP}; routes {@code http-ingest-event}
 * and {@code http-ingest-batch} (whose states are the handler's switches, and whose own steps must
 * not run), and stand-ins for {@code HttpEvents} and {@code HttpBatches} that record what they were
 * given and answer when the test says (the broker's confirm).
 */
class EventPostsOnEventLoopTest {

    private static final int PLATFORM_HTTP = 299;
    private static final int MAX_BODY = 64;
    private static final String PATH = "/v1/events/halo.prod.stats.match_end";
    private static final String BATCH_PATH = "/v1/events";

    private DefaultCamelContext camel;
    private Vertx vertx;
    private HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger routed = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicInteger routeRan = new AtomicInteger();
    private final AtomicInteger handled = new AtomicInteger();
    private final Map<String, Object> seen = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> confirm = CompletableFuture.completedFuture(null);

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stand-in-for-platform-http").routeId(EventPostsOnEventLoop.EVENT_ROUTE)
                        .process(exchange -> routeRan.incrementAndGet());
                from("direct:stand-in-for-platform-http-batches").routeId(EventPostsOnEventLoop.BATCH_ROUTE)
                        .process(exchange -> routeRan.incrementAndGet());
            }
        });
        camel.start();
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        EventPostsOnEventLoop handler = new EventPostsOnEventLoop(camel, MAX_BODY, this::standInForHttpEvents,
                this::standInForHttpBatches);
        router.route("/*").handler(request -> {
            handler.handle(request);
            handled.incrementAndGet(); // the handler has seen the headers
        });
        router.route("/*").handler(request -> request.response().setStatusCode(PLATFORM_HTTP).end("platform-http"));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Records the request; answers 202 with a header on the confirm; "fail" as the message id throws, as a bug would. */
    private CompletableFuture<HttpAnswer> standInForHttpEvents(HttpEvents.Request request) {
        routed.incrementAndGet();
        seen.put("routingKey", request.routingKey());
        seen.put("Content-Type", String.valueOf(request.contentType()));
        seen.put("Gw-Message-Id", String.valueOf(request.messageId()));
        seen.put("Authorization", String.valueOf(request.authorization()));
        seen.put("body", new String(request.body(), StandardCharsets.UTF_8));
        if ("fail".equals(request.messageId())) {
            throw new IllegalStateException("no answer for this one");
        }
        return confirm.thenApply(confirmed -> new HttpAnswer(202, "{\"messageId\":\"m\"}", Map.of("Retry-After", "7")));
    }

    /** Records the request; answers 200 on the confirm. */
    private CompletableFuture<HttpAnswer> standInForHttpBatches(HttpBatches.Request request) {
        batches.incrementAndGet();
        seen.put("Content-Type", String.valueOf(request.contentType()));
        seen.put("Authorization", String.valueOf(request.authorization()));
        seen.put("body", new String(request.body(), StandardCharsets.UTF_8));
        return confirm.thenApply(confirmed -> new HttpAnswer(200, "{\"accepted\":2}", Map.of()));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        camel.stop();
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void anEventCountsInFlightInTheRouteUntilItsConfirmAndGetsItsAnswer() throws Exception {
        confirm = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(post(PATH, "{\"map\":\"Lockout\"}")
                .header("Authorization", "Bearer k").header("Gw-Message-Id", "id-1").build(),
                HttpResponse.BodyHandlers.ofString());

        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size(EventPostsOnEventLoop.EVENT_ROUTE) == 1);
        assertThat(answer).as("no answer before the confirm").isNotDone();
        CompletableFuture.runAsync(() -> confirm.complete(null)); // from another thread, as the broker's
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"messageId\":\"m\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(seen).containsEntry("routingKey", "halo.prod.stats.match_end")
                .containsEntry("Content-Type", "application/json").containsEntry("Gw-Message-Id", "id-1")
                .containsEntry("Authorization", "Bearer k").containsEntry("body", "{\"map\":\"Lockout\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size() == 0);
        assertThat(camel.getInflightRepository().size(EventPostsOnEventLoop.EVENT_ROUTE)).isZero();
        assertThat(routeRan).as("the route's own steps").hasValue(0);
    }

    @Test
    void aBatchCountsInFlightInItsRouteUntilItsConfirmsAndGetsItsAnswer() throws Exception {
        confirm = new CompletableFuture<>();
        String lines = "{\"routingKey\":\"a\"}\n{\"routingKey\":\"b\"}\n";
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(post(BATCH_PATH, lines)
                .setHeader("Content-Type", "application/x-ndjson").header("Authorization", "Bearer k").build(),
                HttpResponse.BodyHandlers.ofString());

        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size(EventPostsOnEventLoop.BATCH_ROUTE) == 1);
        assertThat(camel.getInflightRepository().size(EventPostsOnEventLoop.EVENT_ROUTE)).isZero();
        assertThat(answer).as("no answer before the confirms").isNotDone();
        CompletableFuture.runAsync(() -> confirm.complete(null));
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"accepted\":2}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(seen).containsEntry("Content-Type", "application/x-ndjson").containsEntry("Authorization", "Bearer k")
                .containsEntry("body", lines);
        assertThat(batches).hasValue(1);
        assertThat(routed).as("the single events' stand-in").hasValue(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size() == 0);
        assertThat(routeRan).as("the routes' own steps").hasValue(0);
    }

    @Test
    void aStoppedBatchRouteLeavesBatchesToPlatformHttpAndSingleEventsAreStillServed() throws Exception {
        camel.getRouteController().stopRoute(EventPostsOnEventLoop.BATCH_ROUTE);

        HttpResponse<String> batch = http.send(post(BATCH_PATH, "{}").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> event = http.send(post(PATH, "{}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(batch.statusCode()).isEqualTo(PLATFORM_HTTP);
        assertThat(batches).hasValue(0);
        assertThat(event.statusCode()).isEqualTo(202);
    }

    @Test
    void aStopOfTheRouteWaitsForTheConfirmOfAnEventInFlight() throws Exception {
        confirm = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(post(PATH, "{}").build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size(EventPostsOnEventLoop.EVENT_ROUTE) == 1);
        camel.getShutdownStrategy().setTimeout(30);

        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().stopRoute(EventPostsOnEventLoop.EVENT_ROUTE);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !stop.isDone());
        confirm.complete(null);

        assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        stop.get(20, TimeUnit.SECONDS);
        assertThat(camel.getRouteController().getRouteStatus(EventPostsOnEventLoop.EVENT_ROUTE).isStopped()).isTrue();
    }

    @Test
    void aClientGoneBeforeTheConfirmLeavesNothingInFlightOnceItComes() throws Exception {
        confirm = new CompletableFuture<>();
        try (java.net.Socket client = RawHttp.connect(server.actualPort())) {
            RawHttp.send(client, "POST " + PATH + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{}");
            await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size(EventPostsOnEventLoop.EVENT_ROUTE) == 1);
        }
        confirm.complete(null);

        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size() == 0);
        assertThat(camel.getInflightRepository().size(EventPostsOnEventLoop.EVENT_ROUTE)).isZero();
        assertThat(routed).hasValue(1);
    }

    @Test
    void aFutureThatFailsLaterIsA500() throws Exception {
        confirm = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(post(PATH, "{}").build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size(EventPostsOnEventLoop.EVENT_ROUTE) == 1);
        CompletableFuture.runAsync(() -> confirm.completeExceptionally(new IllegalStateException("lost on the way")));

        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("lost on the way");
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size() == 0);
    }

    @Test
    void anAnswerReadyAtOnceIsWrittenAtOnce() throws Exception {
        HttpResponse<String> response = http.send(post(PATH, "{}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(routed).hasValue(1);
    }

    @Test
    void anEmptyBodyIsServedToo() throws Exception {
        HttpResponse<String> response = http.send(post(PATH, "").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(seen).containsEntry("body", "");
    }

    @Test
    void aClientThatWaitsFor100ContinueIsToldToSendItsBody() throws Exception {
        HttpResponse<String> response = http.send(post(PATH, "{\"map\":\"Lockout\"}").expectContinue(true).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(seen).containsEntry("body", "{\"map\":\"Lockout\"}");
    }

    @Test
    void aFailureThatWasNotAnsweredIsA500NamingIt() throws Exception {
        HttpResponse<String> response = http.send(post(PATH, "{}").header("Gw-Message-Id", "fail").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"status\":500").contains("no answer for this one");
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET " + PATH, "GET /v1/events", "POST /v1/events/a/b", "POST /v1/events/a%2Eb",
        "POST /v1/events/", "POST /v1/events2", "POST /v1/query/halo.prod.stats.get"})
    void otherRequestsGoOnToPlatformHttp(String request) throws Exception {
        String[] parts = request.split(" ");
        HttpRequest.Builder builder = post(parts[1], "{}");
        if (parts[0].equals("GET")) {
            builder.GET();
        }

        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(PLATFORM_HTTP);
        assertThat(routed).hasValue(0);
        assertThat(batches).hasValue(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {PATH, BATCH_PATH})
    void aBodyOverTheLimitOrWithoutALengthGoesOnToPlatformHttpWhichRefusesIt(String path) throws Exception {
        HttpResponse<String> tooLarge = http.send(post(path, "x".repeat(MAX_BODY + 1)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> chunked = http.send(post(path, "{}").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(tooLarge.statusCode()).isEqualTo(PLATFORM_HTTP);
        assertThat(chunked.statusCode()).isEqualTo(PLATFORM_HTTP);
        assertThat(routed).hasValue(0);
        assertThat(batches).hasValue(0);
    }

    @Test
    void anAcceptWithoutJsonGoesOnToPlatformHttpWhichRefusesIt() throws Exception {
        HttpResponse<String> html = http.send(post(PATH, "{}").header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> refused = http.send(post(PATH, "{}").header("Accept", "application/json;q=0")
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> json = http.send(post(PATH, "{}").header("Accept", "text/html, application/json;q=0.9")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(html.statusCode()).isEqualTo(PLATFORM_HTTP);
        assertThat(refused.statusCode()).isEqualTo(PLATFORM_HTTP);
        assertThat(json.statusCode()).isEqualTo(202);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stopped", "suspended"})
    void aRouteThatDoesNotRunIsLeftToPlatformHttp(String how) throws Exception {
        if (how.equals("stopped")) {
            camel.getRouteController().stopRoute(EventPostsOnEventLoop.EVENT_ROUTE);
        } else {
            camel.getRouteController().suspendRoute(EventPostsOnEventLoop.EVENT_ROUTE);
        }

        HttpResponse<String> response = http.send(post(PATH, "{}").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(PLATFORM_HTTP);
        assertThat(routed).hasValue(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {PATH, BATCH_PATH})
    void aRouteStoppedWhileTheBodyCameIsAnswered503AndRunsNothing(String path) throws Exception {
        String route = path.equals(PATH) ? EventPostsOnEventLoop.EVENT_ROUTE : EventPostsOnEventLoop.BATCH_ROUTE;
        try (java.net.Socket client = RawHttp.connect(server.actualPort())) {
            RawHttp.send(client, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{");
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 1);
            camel.getRouteController().stopRoute(route);
            RawHttp.send(client, "}");

            String answer = RawHttp.readResponse(client);

            assertThat(answer).startsWith("HTTP/1.1 503").contains("Retry-After: 1")
                    .contains("the route " + route + " is not running");
            assertThat(routed).hasValue(0);
            assertThat(batches).hasValue(0);
        }
    }
}
