package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.ingest.http.HttpEvents;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.routes.EventPostsOnEventLoop;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * {@value EventPostsOnEventLoop#SETTING}: a single event is served on the event loop without a
 * Camel exchange ({@code HttpEvents}), counts in flight in its route while it waits and holds no
 * worker thread while the broker confirms. The broker is held behind a proxy (publishes taken,
 * no confirm) and the HTTP server has {@value #WORKERS} worker threads: with the setting on, all
 * {@value #CLIENTS} requests are in the route {@code http-ingest-event} at once; with it off,
 * platform-http's worker threads bound them to {@value #WORKERS}. Both ways, once the broker
 * confirms, every request is answered 202 and its event is stored.
 */
class HttpEventPostsOnEventLoopIT {

    private static final int WORKERS = 2;
    private static final int CLIENTS = 12;
    private static final String ROUTE = "http-ingest-event";

    @Test
    void onTheEventLoopEveryRequestWaitsForItsConfirmWithoutAWorkerThread() throws Exception {
        postWhileTheBrokerHoldsConfirms(true);
    }

    @Test
    void onWorkerThreadsTheRequestsInTheRouteAreBoundedByThePool() throws Exception {
        postWhileTheBrokerHoldsConfirms(false);
    }

    private static void postWhileTheBrokerHoldsConfirms(boolean onEventLoop) throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            TcpProxy broker = gw.brokerBehindProxy();
            gw.overrides.put("gamewire.bus.confirm-timeout-ms", "90000");
            gw.overrides.put("gamewire.http.worker-threads", Integer.toString(WORKERS));
            gw.overrides.put(EventPostsOnEventLoop.SETTING, Boolean.toString(onEventLoop));
            try (broker) {
                gw.start();
                String path = "/v1/events/" + gw.services.get(0) + ".scored";
                assertThat(gw.post(path, "application/json", "{\"player\":\"p\",\"points\":1}").statusCode())
                        .isEqualTo(202);

                broker.hold();
                List<UUID> ids = new ArrayList<>();
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                try {
                    for (int i = 0; i < CLIENTS; i++) {
                        UUID id = UUID.randomUUID();
                        ids.add(id);
                        answers.add(gw.http().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + gw.httpPort + path)).timeout(Duration.ofSeconds(120))
                                .header("Authorization", "Bearer " + gw.apiKey)
                                .header("Content-Type", "application/json").header("Gw-Message-Id", id.toString())
                                .POST(HttpRequest.BodyPublishers.ofString("{\"player\":\"p" + i + "\",\"points\":1}"))
                                .build(), HttpResponse.BodyHandlers.ofString()));
                    }
                    if (onEventLoop) {
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> gw.camel().getInflightRepository().size(ROUTE) == CLIENTS);
                    } else {
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> gw.camel().getInflightRepository().size(ROUTE) == WORKERS);
                        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                                .until(() -> gw.camel().getInflightRepository().size(ROUTE) <= WORKERS);
                    }
                    assertThat(answers).as("no answer before the broker confirms").noneMatch(CompletableFuture::isDone);
                } finally {
                    broker.release();
                }

                for (CompletableFuture<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> accepted = answer.get(120, TimeUnit.SECONDS);
                    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                    assertThat(accepted.headers().firstValue("Content-Type")).hasValue("application/json");
                }
                // on the event loop: counted by gamewire's meter, not as the route's exchanges (HttpEvents)
                io.micrometer.core.instrument.Timer accepted = MetricsRegistry.of(gw.camel()).find(HttpEvents.METER)
                        .tag("answer", "accepted").timer();
                long routeExchanges = gw.camel().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                        .getManagedRoute(ROUTE).getExchangesTotal();
                assertThat(accepted == null ? 0 : accepted.count()).isEqualTo(onEventLoop ? CLIENTS + 1 : 0);
                assertThat(routeExchanges).isEqualTo(onEventLoop ? 0 : CLIENTS + 1);
                String list = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        gw.count("SELECT COUNT(*) FROM events WHERE message_id IN (" + list + ")") == CLIENTS);
            }
        }
    }
}
