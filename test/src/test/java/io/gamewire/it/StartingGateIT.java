package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client that sends while gamewire starts: until the API is served, it is refused a connection
 * or answered 503 with Retry-After (send again), never 404, which tells a client to drop the event.
 * platform-http listens before the API's routes run; StartingGate covers that window.
 */
class StartingGateIT {

    @Test
    void anEventSentWhileGamewireStartsIsAnsweredRetryNeverNotFound() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
            Map<Integer, String> bodies = new ConcurrentHashMap<>();
            AtomicBoolean accepted = new AtomicBoolean();
            String path = "/v1/events/" + gw.services.get(0) + ".scored";
            Thread client = new Thread(() -> {
                while (!accepted.get() && !Thread.currentThread().isInterrupted()) {
                    try {
                        HttpResponse<String> answer = gw.post(path, "application/json",
                                "{\"player\":\"early\",\"points\":1}");
                        answers.computeIfAbsent(Integer.toString(answer.statusCode()), k -> new AtomicInteger())
                                .incrementAndGet();
                        bodies.putIfAbsent(answer.statusCode(), answer.statusCode() + " " + answer.headers().map()
                                + " " + answer.body());
                        accepted.compareAndSet(false, answer.statusCode() == 202);
                    } catch (ConnectException e) {
                        answers.computeIfAbsent("refused", k -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        answers.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                }
            }, "early-client");
            client.start();
            try {
                gw.start();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilTrue(accepted);
            } finally {
                client.interrupt();
                client.join(30_000);
            }

            System.out.println("answers while starting: " + answers);
            assertThat(answers.keySet()).as("answers while starting: %s; first of each: %s", answers, bodies)
                    .contains("202").isSubsetOf("refused", "503", "202");
            if (bodies.containsKey(503)) {
                assertThat(bodies.get(503)).contains("retry-after=[1]").contains("gamewire is starting");
            }
        }
    }
}
