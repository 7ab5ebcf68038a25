package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client that sends while gamewire starts and while it stops: whenever the API is not served, it
 * is refused a connection or answered 503 with Retry-After (send again), never 404, which tells a
 * client to drop the event. platform-http listens before the API's routes run and after they stop;
 * ApiGate covers both windows.
 */
class ApiGateIT {

    /** Sends events one after another until stopped, counting each kind of answer. */
    private static final class Sender implements AutoCloseable {
        final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        final Map<Integer, String> firstOfEach = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean stopped;

        Sender(GamewireUnderTest gw) {
            String path = "/v1/events/" + gw.services.get(0) + ".scored";
            thread = new Thread(() -> {
                while (!stopped) {
                    try {
                        HttpResponse<String> answer = gw.post(path, "application/json", "{\"player\":\"p\",\"points\":1}");
                        count(Integer.toString(answer.statusCode()));
                        firstOfEach.putIfAbsent(answer.statusCode(), java.time.LocalTime.now() + " " + answer.headers().map() + " " + answer.body());
                    } catch (ConnectException e) {
                        count("refused");
                    } catch (java.io.IOException e) {
                        count("connection lost"); // closed under a request: an unknown outcome, sent again
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        count(e.toString());
                    }
                }
            }, "api-gate-sender");
            thread.start();
        }

        private void count(String answer) {
            answers.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
        }

        int accepted() {
            AtomicInteger accepted = answers.get("202");
            return accepted == null ? 0 : accepted.get();
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(30_000);
        }
    }

    @Test
    void anEventSentWhileGamewireStartsOrStopsIsAnsweredRetryNeverNotFound() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            Sender starting = new Sender(gw);
            try (starting) {
                gw.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> starting.accepted() > 0);
            }
            Sender stopping = new Sender(gw);
            try (stopping) {
                await().atMost(Duration.ofSeconds(30)).until(() -> stopping.accepted() > 0);
                gw.stopApplication();
            }

            System.out.println("answers while starting: " + starting.answers + "; while stopping: " + stopping.answers);
            assertThat(starting.answers.keySet()).as("answers while starting: %s", starting.firstOfEach)
                    .contains("202").isSubsetOf("refused", "503", "202");
            assertThat(stopping.answers.keySet()).as("answers while stopping: %s", stopping.firstOfEach)
                    .contains("202").isSubsetOf("refused", "connection lost", "503", "202");
            for (Map<Integer, String> answers : java.util.List.of(starting.firstOfEach, stopping.firstOfEach)) {
                if (answers.containsKey(503)) {
                    assertThat(answers.get(503)).contains("retry-after=[1]").containsPattern("gamewire is (starting|stopping)");
                }
            }
        }
    }
}
