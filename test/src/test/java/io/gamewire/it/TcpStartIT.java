package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A GWP client that connects while gamewire starts: until the title files (and so the API keys)
 * are loaded, the GWP port is not open and the connection is refused, which the client's reconnect
 * back-off covers. It is never answered {@code 101 AUTH_FAILED} for a key that is about to be valid
 * (a client gives that key up), nor {@code 299} for an event whose title is not loaded yet.
 */
class TcpStartIT {

    /** Connects, authenticates and sends one event, again and again until closed, counting each outcome. */
    private static final class Connector implements AutoCloseable {
        final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean stopped;

        Connector(GamewireUnderTest gw) {
            thread = new Thread(() -> {
                while (!stopped) {
                    count(attempt(gw));
                }
            }, "tcp-start-connector");
            thread.start();
        }

        private static String attempt(GamewireUnderTest gw) {
            try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
                Frame auth = socket.auth(gw.apiKey);
                if (!(auth instanceof AckFrame)) {
                    return "AUTH answered " + withoutId(auth);
                }
                Envelope event = GwpSocket.event(gw.services.get(0) + ".end", "{}");
                socket.send(event);
                return "EVENT answered " + withoutId(socket.read());
            } catch (ConnectException e) {
                // a client backs off before it connects again
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                return "refused";
            } catch (IOException e) {
                return e.toString();
            }
        }

        /** The answer as an outcome to count: its type, or an ERROR's code and text (ids differ every time). */
        private static String withoutId(Frame answer) {
            return answer instanceof ErrorFrame error ? "ERROR " + error.code() + " " + error.text()
                    : answer.type().toString();
        }

        private void count(String outcome) {
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
        }

        boolean acked() {
            return outcomes.containsKey("EVENT answered ACK");
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(30_000);
        }
    }

    @Test
    void aClientConnectingWhileTheTitlesLoadIsRefusedAConnectionNeverAnAuthFailure() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            // titles that load after this run's: its key is known a while before every title is in force
            gw.writeSlowTitles();
            Connector connector = new Connector(gw);
            try (connector) {
                gw.start();
                await().atMost(Duration.ofSeconds(30)).until(connector::acked);
            }
            assertThat(connector.outcomes.keySet()).as("outcomes: %s", connector.outcomes)
                    .containsExactlyInAnyOrder("refused", "EVENT answered ACK");
        }
    }
}
