package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.bus.RequestReplyClient;
import io.gamewire.deploy.TitleDeployer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code gamewire.http.worker-threads}: Camel's HTTP consumer holds a worker thread for each
 * request until it is answered, so queries waiting for their replies must not hold up events. With
 * Vert.x's own pool of 20, thirty queries to a service whose consumer is stopped held every thread
 * until they timed out, and a POST waited behind them; with the default of 64 it is answered while
 * they still wait. The POST is a batch sent chunked (no {@code Content-Length}), which runs its
 * route on a worker thread (checked: one exchange of {@code http-ingest-batch}); one with a length,
 * and a single event, no longer do ({@code EventPostsOnEventLoop}). Both ways the HTTP server's
 * Vert.x is made: by gamewire's header timeout, and by platform-http itself when that timeout is off.
 */
class HttpWorkerThreadsIT {

    private static final int WAITING_QUERIES = 30;
    private static final int VERTX_DEFAULT_WORKERS = 20;

    @ParameterizedTest(name = "gamewire.http.header-timeout-ms = {0}")
    @ValueSource(strings = {"60000", "0"})
    void anEventIsAcceptedWhileThirtyQueriesWaitForTheirReplies(String headerTimeoutMs) throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.overrides.put("gamewire.http.header-timeout-ms", headerTimeoutMs);
            // the queries wait this long for replies that never come: room for every check on a busy machine
            gw.overrides.put("gamewire.requests.timeout-ms", "90000");
            gw.start();
            String service = gw.title + ".dev.players";
            String consumer = TitleDeployer.routeId(service);
            gw.camel().getRouteController().stopRoute(consumer);
            List<CompletableFuture<HttpResponse<String>>> queries = new ArrayList<>();
            try {
                for (int i = 0; i < WAITING_QUERIES; i++) {
                    queries.add(gw.http().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + gw.httpPort + "/v1/query/" + service + ".get?playerId=p" + i))
                            .header("Authorization", "Bearer " + gw.apiKey).GET().build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                RequestReplyClient requests = gw.bean("requestReplyClient", RequestReplyClient.class);
                // as many as Vert.x's own pool had threads: with it, every thread is held from here on
                await().atMost(Duration.ofSeconds(20)).until(() -> requests.pending() >= VERTX_DEFAULT_WORKERS);

                // a chunked batch: requests with a length no longer take a worker thread (EventPostsOnEventLoop)
                byte[] batch = ("{\"routingKey\": \"" + gw.services.get(0) + ".scored\", \"payload\": {\"player\":"
                        + " \"p\", \"points\": 1}}\n").getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> accepted = gw.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + gw.httpPort + "/v1/events")).timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + gw.apiKey).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(batch))).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
                assertThat(accepted.body()).contains("\"accepted\":1");
                assertThat(gw.camel().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                        .getManagedRoute("http-ingest-batch").getExchangesTotal())
                        .as("served by the route, on a worker thread").isEqualTo(1);
                assertThat(queries).as("answered while every query still waits for its reply")
                        .noneMatch(CompletableFuture::isDone);
                // and every query is served at once, none waiting for a thread
                await().atMost(Duration.ofSeconds(20)).until(() -> requests.pending() == WAITING_QUERIES);
                assertThat(queries).noneMatch(CompletableFuture::isDone);
            } finally {
                gw.camel().getRouteController().startRoute(consumer);
            }
            // the consumer back, each query gets its answer: no player of that id
            for (CompletableFuture<HttpResponse<String>> query : queries) {
                HttpResponse<String> answer = query.get(60, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
            }
        }
    }
}
