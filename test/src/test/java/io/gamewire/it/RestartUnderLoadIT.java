package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.sinks.kv.KvStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gamewire restarted again and again while TCP clients send faster than its consumers store, on
 * both stacks: every event it ACKed has exactly one {@code events} row, one title-table row and its
 * KV record at the end; nothing is missing, nothing doubled. Cycles alternate SIGTERM and SIGKILL.
 *
 * <p>Consumers are slowed ({@code gamewire.store.batch-size=10}, {@code gamewire.store.writers=1})
 * so a backlog waits in the service queue at each restart, and each start meets it with a slowed
 * title load ({@link GamewireUnderTest#writeSlowTitles()}). The number of
 * cycles and the events ACKed per cycle are {@code -Dgamewire.test.restart-cycles} (default 4) and
 * {@code -Dgamewire.test.restart-events} (default 1,000): the CI run is short; the figures of a
 * ten-cycle run are in bench/README.md ("Restart under load").
 */
class RestartUnderLoadIT {

    private static final Logger LOG = LoggerFactory.getLogger(RestartUnderLoadIT.class);
    private static final int CYCLES = Integer.getInteger("gamewire.test.restart-cycles", 4);
    private static final int EVENTS_PER_CYCLE = Integer.getInteger("gamewire.test.restart-events", 1000);
    private static final int CLIENTS = 3;

    /**
     * Clients that send {@code scored} events, each for a player named by its message id, as fast
     * as gamewire ACKs them; an event that fails (its connection lost, an ERROR) is sent again with
     * the same message id until ACKed, as a game server would.
     */
    private static final class TcpLoad implements AutoCloseable {
        final Set<String> sent = ConcurrentHashMap.newKeySet();
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final AtomicInteger resent = new AtomicInteger();
        private final String key;
        private final List<GamewireClient> clients = new ArrayList<>();
        private final List<Thread> senders = new ArrayList<>();
        private final ExecutorService resends = Executors.newSingleThreadExecutor();
        private volatile boolean stopped;

        TcpLoad(GamewireUnderTest gw) {
            key = gw.services.get(1) + ".scored";
            for (int i = 0; i < CLIENTS; i++) {
                GamewireClient client = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey)
                        .clientName("restart-load/" + i).maxInFlight(200)
                        .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build();
                clients.add(client);
                Thread sender = new Thread(() -> sendUntilStopped(client), "restart-load-" + i);
                senders.add(sender);
            }
        }

        void start() throws Exception {
            for (GamewireClient client : clients) {
                client.connect().get();
            }
            senders.forEach(Thread::start);
        }

        private void sendUntilStopped(GamewireClient client) {
            while (!stopped) {
                String id = MessageIds.next().toString();
                byte[] payload = ("{\"player\":\"" + id + "\",\"points\":7}").getBytes(StandardCharsets.UTF_8);
                sent.add(id);
                send(client, id, payload);
            }
        }

        private void send(GamewireClient client, String id, byte[] payload) {
            Envelope event = Envelope.event(java.util.UUID.fromString(id), System.currentTimeMillis(),
                    "application/json", key, payload);
            client.send(event).whenComplete((ack, failure) -> {
                if (failure == null) {
                    acked.add(id);
                } else if (!resends.isShutdown()) {
                    resent.incrementAndGet();
                    // not on the client's I/O thread, where a full window cannot be waited for
                    resends.execute(() -> send(client, id, payload));
                }
            });
        }

        /** Stops sending new events; those sent go on until ACKed. */
        void stop() throws InterruptedException {
            stopped = true;
            for (Thread sender : senders) {
                sender.join(30_000);
            }
        }

        @Override
        public void close() {
            stopped = true;
            resends.shutdownNow();
            clients.forEach(GamewireClient::close);
        }
    }

    @Test
    void restartsWithABacklogUnderLoadLoseAndDoubleNothing() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest(); ProxiedDatabase database = new ProxiedDatabase(gw)) {
            gw.overrides.put("gamewire.store.batch-size", "10");
            gw.overrides.put("gamewire.store.writers", "1");
            // every start loads 25 more titles after this run's: the window in which a consumer
            // started early would store events without their title's sinks
            gw.writeSlowTitles();
            String stored = "SELECT COUNT(*) FROM events WHERE routing_key = '" + gw.services.get(1) + ".scored'";
            Process process = gw.startProcess(Map.of());
            try (TcpLoad load = new TcpLoad(gw)) {
                await().atMost(GamewireUnderTest.PROCESS_START_LIMIT).until(gw::healthy);
                load.start();
                List<String> cycles = new ArrayList<>();
                long backlogs = 0;
                for (int cycle = 1; cycle <= CYCLES; cycle++) {
                    int target = cycle * EVENTS_PER_CYCLE;
                    await().atMost(Duration.ofSeconds(120)).until(() -> load.acked.size() >= target);
                    long backlog = load.acked.size() - database.count(stored);
                    backlogs += Math.max(0, backlog);
                    boolean kill = cycle % 2 == 0;
                    if (kill) {
                        process.destroyForcibly(); // SIGKILL: no drain, no shutdown hook
                    } else {
                        process.destroy(); // SIGTERM: a graceful stop, the backlog stays queued
                    }
                    process.waitFor();
                    cycles.add("cycle " + cycle + " (" + (kill ? "SIGKILL" : "SIGTERM") + "): " + load.acked.size()
                            + " ACKed, " + backlog + " not yet stored");
                    process = gw.startProcess(Map.of());
                    await().atMost(GamewireUnderTest.PROCESS_START_LIMIT).until(gw::healthy);
                }
                load.stop();
                await().atMost(Duration.ofSeconds(120)).until(() -> load.acked.size() == load.sent.size());
                process.destroy();
                process.waitFor();
                cycles.forEach(line -> LOG.info("Restart under load: {}", line));
                assertThat(backlogs).as("a backlog was queued at the restarts: " + cycles).isPositive();

                // the last start, in-process and with the default batches, drains the rest; then
                // every ACKed event is checked
                gw.overrides.remove("gamewire.store.batch-size");
                gw.overrides.remove("gamewire.store.writers");
                gw.start();
                int acked = load.acked.size();
                await().atMost(Duration.ofSeconds(120 + acked / 50)).until(() -> database.count(stored) >= acked);
                Set<String> events = ids(database, "SELECT message_id FROM events WHERE routing_key = '"
                        + gw.services.get(1) + ".scored'");
                Set<String> rows = ids(database, "SELECT player FROM " + gw.title + "_scores");
                long[] counts = database.counts("SELECT (" + stored + "), (SELECT COUNT(*) FROM " + gw.title
                        + "_scores), (SELECT COUNT(DISTINCT gw_message_id) FROM " + gw.title + "_scores)");
                LOG.info("Restart under load, {} cycles: {} sent, {} ACKed, {} sent again; {} events rows, {} table rows",
                        CYCLES, load.sent.size(), acked, load.resent.get(), counts[0], counts[1]);

                assertThat(missing(load.acked, events)).as("ACKed events without their events row").isEmpty();
                assertThat(missing(load.acked, rows)).as("ACKed events without their table row").isEmpty();
                // KV records are written right after their batch's commit: given a moment
                KvStore kv = gw.bean("kvStore", KvStore.class);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(load.acked.stream()
                        .filter(id -> !kv.get("player:" + id).containsKey("lastPoints")).limit(20).toList())
                        .as("ACKed events without their KV record").isEmpty());
                LOG.info("Restart under load: every ACKed event has its KV record");
                assertThat(counts[0]).as("events rows, one per event sent").isEqualTo(events.size())
                        .isEqualTo(rows.size()).isLessThanOrEqualTo(load.sent.size());
                assertThat(counts[1]).as("table rows, one per event").isEqualTo(counts[0]).isEqualTo(counts[2]);
                assertThat(missing(events, load.sent)).as("stored events nobody sent").isEmpty();
            } finally {
                process.destroyForcibly();
                gw.stopApplication();
            }
        }
    }

    private static Set<String> ids(ProxiedDatabase database, String sql) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static List<String> missing(Set<String> expected, Set<String> found) {
        return expected.stream().filter(id -> !found.contains(id)).limit(20).toList();
    }
}
