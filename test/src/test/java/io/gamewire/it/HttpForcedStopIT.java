package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.ingest.http.HttpProblems;
import io.gamewire.routes.ForcedStopAnswers;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * HTTP requests still being served when a stop runs past {@code camel.main.shutdown-timeout}
 * (Camel then forces the routes down) are answered {@code 503} with a JSON problem, "the outcome is
 * unknown": the client resends with the same message id. Before, platform-http answered them
 * {@code 500} with an empty body itself, which says neither. The broker is held behind a proxy
 * (publishes taken, no confirm) so that at least {@value #IN_ROUTE} requests wait on their confirm in
 * the route when the stop begins; the shutdown timeout
 * is 1 s, the confirm timeout 5 s, so the forced stop comes first. What got a 202 is stored after a
 * restart.
 */
class HttpForcedStopIT {

    private static final int CLIENTS = 32;
    /**
     * Requests in the route at once that the test waits for, at least: each of the {@value #CLIENTS}
     * clients has one there while the broker holds its confirm (single events hold no worker thread,
     * {@code EventPostsOnEventLoop}); fewer leaves room for clients between two requests.
     */
    private static final int IN_ROUTE = 20;
    private static final String ROUTE = "http-ingest-event";

    @Test
    void requestsInFlightAtAForcedStopAreAnswered503OutcomeUnknownAndNothingAcknowledgedIsLost() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            TcpProxy broker = gw.brokerBehindProxy();
            gw.overrides.put("camel.main.shutdown-timeout", "1");
            gw.overrides.put("gamewire.bus.confirm-timeout-ms", "5000");
            try (broker) {
                gw.start();
                Clients clients = new Clients(gw);
                Set<UUID> inFlight;
                try (clients) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> clients.acked.size() >= 100);
                    broker.hold();
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> gw.camel().getInflightRepository().size(ROUTE) >= IN_ROUTE);
                    inFlight = clients.markStop();
                    org.apache.camel.spi.ShutdownStrategy shutdown = gw.camel().getShutdownStrategy();
                    CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                        try {
                            gw.stopApplication();
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
                    await().atMost(Duration.ofSeconds(30)).until(shutdown::hasTimeoutOccurred);
                    await().atMost(Duration.ofSeconds(30)).until(() -> clients.answered(inFlight));
                    // the stop closes the broker connections, which waits on the held broker
                    broker.release();
                    await().atMost(Duration.ofSeconds(60)).until(stop::isDone);
                    stop.join();
                }
                System.out.println("answers during the stop: " + clients.duringStop);

                assertThat(clients.duringStop.keySet()).as("answers during the stop, first of each: %s",
                        clients.firstOfEach).noneMatch(answer -> answer.startsWith("500"));
                assertThat(clients.duringStop.keySet()).as("every answer during the stop, first of each: %s",
                        clients.firstOfEach).allMatch(answer -> answer.startsWith("202")
                        || answer.equals("refused") || answer.equals("connection lost")
                        || answer.startsWith("503 application/json {\"status\":503,\"error\":\"Service Unavailable\""));
                // the requests in flight as the stop began: each accepted in time, or told that its outcome is unknown
                assertThat(inFlight).hasSizeGreaterThanOrEqualTo(IN_ROUTE);
                Map<String, Long> inFlightAnswers = inFlight.stream().collect(Collectors.groupingBy(
                        id -> clients.answers.getOrDefault(id, "no answer"), Collectors.counting()));
                assertThat(inFlightAnswers.keySet()).as("answers to the %d requests in flight at the stop: %s",
                        inFlight.size(), inFlightAnswers).allMatch(answer -> answer.startsWith("202 ") || answer.equals(
                        "503 application/json " + HttpProblems.body(503, ForcedStopAnswers.MESSAGE)));
                assertThat(inFlightAnswers.getOrDefault("503 application/json "
                        + HttpProblems.body(503, ForcedStopAnswers.MESSAGE), 0L))
                        .as("requests in flight at the forced stop told the outcome is unknown: %s", inFlightAnswers)
                        .isGreaterThanOrEqualTo(IN_ROUTE);

                // nothing acknowledged is lost: what got a 202 is stored once gamewire runs again
                Set<UUID> acked = Set.copyOf(clients.acked);
                gw.start();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(stored(gw, acked))
                        .as("acknowledged events stored after the restart").isEqualTo(acked.size()));
            }
        }
    }

    /** How many of {@code ids} are in the events table. */
    private static long stored(GamewireUnderTest gw, Set<UUID> ids) throws Exception {
        String list = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        return gw.count("SELECT COUNT(*) FROM events WHERE message_id IN (" + list + ")");
    }

    /**
     * {@value #CLIENTS} clients posting one event after another, each with a message id of its own,
     * until closed; once {@link #markStop()} is called, the answers are counted by status, content
     * type and message (the message id cut off, so that like answers count together).
     */
    private static final class Clients implements AutoCloseable {
        final Set<UUID> acked = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> duringStop = new ConcurrentHashMap<>();
        final Map<String, String> firstOfEach = new ConcurrentHashMap<>();
        /** Each request's answer once {@link #markStop()} was called, as counted in {@link #duringStop}. */
        final Map<UUID, String> answers = new ConcurrentHashMap<>();
        private final Set<UUID> unanswered = ConcurrentHashMap.newKeySet();
        private final List<Thread> threads = new ArrayList<>();
        // HTTP/1.1, one connection per client, as game back ends send
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private volatile boolean stopping;
        private volatile boolean closed;

        Clients(GamewireUnderTest gw) {
            URI uri = URI.create("http://127.0.0.1:" + gw.httpPort + "/v1/events/" + gw.services.get(0) + ".scored");
            for (int i = 0; i < CLIENTS; i++) {
                Thread thread = new Thread(() -> {
                    while (!closed) {
                        send(gw, uri);
                    }
                }, "forced-stop-client-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        /** From now on answers are counted; returns the requests sent before, unanswered yet. */
        Set<UUID> markStop() {
            stopping = true;
            return Set.copyOf(unanswered);
        }

        /** Whether every one of {@code requests} has its answer (or failed). */
        boolean answered(Set<UUID> requests) {
            return requests.stream().noneMatch(unanswered::contains);
        }

        private void send(GamewireUnderTest gw, URI uri) {
            UUID id = UUID.randomUUID();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + gw.apiKey).header("Content-Type", "application/json")
                    .header("Gw-Message-Id", id.toString())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"player\":\"p\",\"points\":1}")).build();
            String answer;
            String whole;
            unanswered.add(id);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    acked.add(id);
                }
                whole = java.time.LocalTime.now() + " " + response.statusCode() + " " + response.headers().map() + " "
                        + response.body();
                answer = response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("-") + " "
                        + response.body().replace(id.toString(), "<id>").replaceAll("[0-9a-f-]{36}", "<other id>");
            } catch (ConnectException e) {
                answer = whole = "refused";
            } catch (java.io.IOException e) {
                answer = whole = "connection lost"; // closed under the request: an unknown outcome, resent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
                return;
            } finally {
                unanswered.remove(id);
            }
            if (stopping) {
                duringStop.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
                answers.put(id, answer);
                firstOfEach.putIfAbsent(answer, whole);
            }
            if (answer.equals("refused")) {
                // a client's pause before it tries a closed port again, not a test's wait
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            for (Thread thread : threads) {
                thread.join(40_000);
            }
        }
    }
}
