package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.http.HttpBatches;
import io.gamewire.ingest.http.HttpEvents;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.routes.EventPostsOnEventLoop;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.Test;

/**
 * {@value EventPostsOnEventLoop#SETTING}: single events and batches are served on the event loop
 * without a Camel exchange ({@code HttpEvents}, {@code HttpBatches}), count in flight in their
 * routes while they wait and hold no worker thread while the broker confirms. The broker is held
 * behind a proxy (publishes taken, no confirm) and the HTTP server has {@value #WORKERS} worker
 * threads: with the setting on, all {@value #CLIENTS} single events are in the route
 * {@code http-ingest-event} at once, and then all {@value #BATCHES} batches in
 * {@code http-ingest-batch}; with it off, platform-http's worker threads bound each to
 * {@value #WORKERS}. Both ways, once the broker confirms, every request is answered (202, or 200
 * with every event of the batch accepted) and its events are stored.
 */
class HttpEventPostsOnEventLoopIT {

    private static final int WORKERS = 2;
    private static final int CLIENTS = 12;
    private static final int BATCHES = 6;
    private static final int LINES = 3;
    private static final String EVENT_ROUTE = "http-ingest-event";
    private static final String BATCH_ROUTE = "http-ingest-batch";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onTheEventLoopEveryRequestWaitsForItsConfirmWithoutAWorkerThread() throws Exception {
        postWhileTheBrokerHoldsConfirms(true);
    }

    @Test
    void onWorkerThreadsTheRequestsInTheRouteAreBoundedByThePool() throws Exception {
        postWhileTheBrokerHoldsConfirms(false);
    }

    /**
     * The same batches, each sent once with a {@code Content-Length} (served on the event loop,
     * {@code HttpBatches}) and once chunked (platform-http runs the route {@code http-ingest-batch}),
     * get the same answers: status, headers a client reads, body.
     */
    @Test
    void aBatchIsAnsweredAlikeOnTheEventLoopAndByItsRoute() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.overrides.put("gamewire.http.max-batch-events", "3");
            gw.start();
            String service = gw.services.get(0);
            String mixed = "{\"routingKey\":\"" + service + ".scored\",\"messageId\":\"" + UUID.randomUUID()
                    + "\",\"payload\":{\"player\":\"p\",\"points\":1}}\n"
                    + "not json\n"
                    + "{\"routingKey\":\"" + gw.title + ".prod.nowhere.scored\",\"payload\":{}}\n";
            String four = ("{\"routingKey\":\"" + service + ".scored\",\"payload\":{}}\n").repeat(4);
            List<String[]> batches = List.of(
                    new String[] {"mixed lines", "application/x-ndjson", mixed, gw.apiKey},
                    new String[] {"no key", "application/x-ndjson", mixed, null},
                    new String[] {"unknown key", "application/x-ndjson", mixed, "no-such-key"},
                    new String[] {"not a batch", "text/plain", mixed, gw.apiKey},
                    new String[] {"no event", "application/x-ndjson", "\n", gw.apiKey},
                    new String[] {"over max-batch-events", "application/x-ndjson", four, gw.apiKey});
            for (String[] batch : batches) {
                HttpResponse<String> onEventLoop = postBatch(gw, batch[1], batch[2], batch[3], false);
                HttpResponse<String> byRoute = postBatch(gw, batch[1], batch[2], batch[3], true);

                assertThat(onEventLoop.statusCode()).as(batch[0] + ": " + onEventLoop.body())
                        .isEqualTo(byRoute.statusCode());
                assertThat(onEventLoop.body()).as(batch[0]).isEqualTo(byRoute.body());
                for (String header : List.of("Content-Type", "WWW-Authenticate", "Retry-After")) {
                    assertThat(onEventLoop.headers().firstValue(header)).as(batch[0] + ": " + header)
                            .isEqualTo(byRoute.headers().firstValue(header));
                }
            }
            assertThat(postBatch(gw, "application/x-ndjson", mixed, gw.apiKey, false).body())
                    .as("the mixed batch: one result per line").contains("\"accepted\":1,\"refused\":2");
            // each way served what it should: the route the chunked ones, HttpBatches the others
            assertThat(exchanges(gw, BATCH_ROUTE)).isEqualTo(batches.size());
            assertThat(answers(gw, HttpBatches.METER, "answered") + answers(gw, HttpBatches.METER, "refused"))
                    .isEqualTo(batches.size() + 1);
        }
    }

    /** A batch with a {@code Content-Length}, or chunked (none), with {@code key} as bearer key unless null. */
    private static HttpResponse<String> postBatch(GamewireUnderTest gw, String contentType, String body, String key,
                                                  boolean chunked) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + "/v1/events"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return gw.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void postWhileTheBrokerHoldsConfirms(boolean onEventLoop) throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            TcpProxy broker = gw.brokerBehindProxy();
            gw.overrides.put("gamewire.bus.confirm-timeout-ms", "90000");
            gw.overrides.put("gamewire.http.worker-threads", Integer.toString(WORKERS));
            gw.overrides.put(EventPostsOnEventLoop.SETTING, Boolean.toString(onEventLoop));
            try (broker) {
                gw.start();
                String service = gw.services.get(0) + ".scored";
                String path = "/v1/events/" + service;
                assertThat(gw.post(path, "application/json", "{\"player\":\"p\",\"points\":1}").statusCode())
                        .isEqualTo(202);

                List<UUID> ids = new ArrayList<>();
                List<HttpRequest> events = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    UUID id = UUID.randomUUID();
                    ids.add(id);
                    events.add(request(gw, path, "application/json", "{\"player\":\"p" + i + "\",\"points\":1}")
                            .header("Gw-Message-Id", id.toString()).build());
                }
                for (HttpResponse<String> accepted : whileTheBrokerHolds(gw, broker, EVENT_ROUTE, events, onEventLoop)) {
                    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                    assertThat(accepted.headers().firstValue("Content-Type")).hasValue("application/json");
                }

                List<HttpRequest> batches = new ArrayList<>();
                for (int b = 0; b < BATCHES; b++) {
                    StringBuilder lines = new StringBuilder();
                    for (int i = 0; i < LINES; i++) {
                        UUID id = UUID.randomUUID();
                        ids.add(id);
                        lines.append("{\"routingKey\":\"").append(service).append("\",\"messageId\":\"").append(id)
                                .append("\",\"payload\":{\"player\":\"b").append(b).append("\",\"points\":").append(i)
                                .append("}}\n");
                    }
                    batches.add(request(gw, "/v1/events", "application/x-ndjson", lines.toString()).build());
                }
                for (HttpResponse<String> answered : whileTheBrokerHolds(gw, broker, BATCH_ROUTE, batches, onEventLoop)) {
                    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
                    assertThat(answered.headers().firstValue("Content-Type")).hasValue("application/json");
                    assertThat(JSON.readTree(answered.body()).path("accepted").asInt()).as(answered.body()).isEqualTo(LINES);
                }

                // on the event loop: counted by gamewire's meters, not as the routes' exchanges
                assertThat(answers(gw, HttpEvents.METER, "accepted")).isEqualTo(onEventLoop ? CLIENTS + 1 : 0);
                assertThat(exchanges(gw, EVENT_ROUTE)).isEqualTo(onEventLoop ? 0 : CLIENTS + 1);
                assertThat(answers(gw, HttpBatches.METER, "answered")).isEqualTo(onEventLoop ? BATCHES : 0);
                assertThat(exchanges(gw, BATCH_ROUTE)).isEqualTo(onEventLoop ? 0 : BATCHES);
                String list = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        gw.count("SELECT COUNT(*) FROM events WHERE message_id IN (" + list + ")") == ids.size());
            }
        }
    }

    private static HttpRequest.Builder request(GamewireUnderTest gw, String path, String contentType, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + path))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + gw.apiKey)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /**
     * Sends the requests with the broker's confirms held, checks how many are in {@code route} at
     * once (all on the event loop, at most the worker threads else) and that none is answered, then
     * lets the broker confirm.
     *
     * @return the answers, in the requests' order
     */
    private static List<HttpResponse<String>> whileTheBrokerHolds(GamewireUnderTest gw, TcpProxy broker, String route,
                                                                  List<HttpRequest> requests, boolean onEventLoop)
            throws Exception {
        broker.hold();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (HttpRequest request : requests) {
                answers.add(gw.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            int inRoute = onEventLoop ? requests.size() : WORKERS;
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> gw.camel().getInflightRepository().size(route) == inRoute);
            if (!onEventLoop) {
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> gw.camel().getInflightRepository().size(route) <= WORKERS);
            }
            assertThat(answers).as("no answer before the broker confirms").noneMatch(CompletableFuture::isDone);
        } finally {
            broker.release();
        }
        List<HttpResponse<String>> answered = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            answered.add(answer.get(120, TimeUnit.SECONDS));
        }
        return answered;
    }

    private static long answers(GamewireUnderTest gw, String meter, String answer) {
        io.micrometer.core.instrument.Timer timer = MetricsRegistry.of(gw.camel()).find(meter).tag("answer", answer).timer();
        return timer == null ? 0 : timer.count();
    }

    private static long exchanges(GamewireUnderTest gw, String route) throws Exception {
        return gw.camel().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute(route).getExchangesTotal();
    }
}
