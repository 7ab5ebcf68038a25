package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker killed with SIGKILL while publishers send confirmed persistent messages, on
 * each store: after a restart on the same data dir, every message the broker confirmed is in the
 * queue. The broker runs alone in a process of its own ({@code EmbeddedBrokerMain}), killed by
 * {@link Process#destroyForcibly()}: it dies without any shutdown, as on {@code kill -9}.
 *
 * <p>{@code -Dgamewire.test.broker-kill.stores=memory} runs it on a broker with no store, where it
 * must fail: that is how to see that it can.
 */
class BrokerKillIT {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerKillIT.class);
    private static final String QUEUE = "kill-test";
    private static final int PUBLISHERS = 2;
    private static final int WINDOW = 128;
    /** Confirms seen before the kill; the publishers are still sending when it comes. */
    private static final int CONFIRMED_BEFORE_KILL = 2_000;

    @TempDir
    Path dataDir;

    private Process broker;

    static List<String> stores() {
        return List.of(System.getProperty("gamewire.test.broker-kill.stores", "bdb,derby").split(","));
    }

    @AfterEach
    void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void everyConfirmedMessageOutlivesAKillMinus9(String store) throws Exception {
        int port = GamewireUnderTest.freePort();
        broker = startBroker(port, store, "first");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setAutomaticRecoveryEnabled(false);
        try (Connection admin = factory.newConnection(); Channel channel = admin.createChannel()) {
            channel.queueDeclare(QUEUE, true, false, false, null);
        }

        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        List<Publisher> publishers = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            Publisher publisher = new Publisher(factory.newConnection(), "p" + i, confirmed);
            publishers.add(publisher);
            publisher.start();
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> confirmed.size() >= CONFIRMED_BEFORE_KILL);
        broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        for (Publisher publisher : publishers) {
            publisher.join(10_000);
        }
        // copied now: a confirm can no longer arrive from a dead broker
        Set<String> acknowledged = new HashSet<>(confirmed);
        int published = publishers.stream().mapToInt(p -> p.published).sum();
        assertThat(published).as("published beyond the confirms: the kill came while messages were in flight")
                .isGreaterThan(acknowledged.size());

        broker = startBroker(port, store, "after-kill");
        Set<String> recovered = new HashSet<>();
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            // the same declaration: a store that lost the queue gets an empty one, and the check below says what is lost
            channel.queueDeclare(QUEUE, true, false, false, null);
            for (GetResponse message = channel.basicGet(QUEUE, false); message != null;
                    message = channel.basicGet(QUEUE, false)) {
                recovered.add(new String(message.getBody(), StandardCharsets.UTF_8));
            }
        }
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(recovered);
        LOG.info("{} store: {} published, {} confirmed before the kill, {} in the queue after the restart,"
                + " {} confirmed ones lost", store, published, acknowledged.size(), recovered.size(), lost.size());
        assertThat(lost).as("confirmed messages missing after kill -9 on the %s store (%d of %d)", store,
                lost.size(), acknowledged.size()).isEmpty();
        assertThat(recovered).as("only published messages").allMatch(id -> id.startsWith("p"));
    }

    private Process startBroker(int port, String store, String name) throws IOException {
        Path log = dataDir.resolve("broker-" + name + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.gamewire.stack.EmbeddedBrokerMain",
                Integer.toString(port), dataDir.resolve("broker").toString(), store)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            assertThat(process.isAlive()).as("broker running (log %s)", log).isTrue();
            return Files.readString(log).contains("READY " + port);
        });
        return process;
    }

    /** Publishes numbered messages on a confirming channel, at most WINDOW unconfirmed, until the broker dies. */
    private static final class Publisher extends Thread {
        private final Connection connection;
        private final String prefix;
        private final Set<String> confirmed;
        private final ConcurrentSkipListMap<Long, String> unconfirmed = new ConcurrentSkipListMap<>();
        private final Semaphore room = new Semaphore(WINDOW);
        volatile int published;

        Publisher(Connection connection, String prefix, Set<String> confirmed) {
            super("kill-test-" + prefix);
            this.connection = connection;
            this.prefix = prefix;
            this.confirmed = confirmed;
        }

        @Override
        public void run() {
            try {
                Channel channel = connection.createChannel();
                channel.confirmSelect();
                channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, true),
                        (tag, multiple) -> settle(tag, multiple, false));
                for (int i = 0; connection.isOpen(); i++) {
                    if (!room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    String id = prefix + "-" + i;
                    unconfirmed.put(channel.getNextPublishSeqNo(), id);
                    channel.basicPublish("", QUEUE, MessageProperties.PERSISTENT_BASIC, id.getBytes(StandardCharsets.UTF_8));
                    published++;
                }
            } catch (IOException | RuntimeException | InterruptedException e) {
                // the broker was killed
            }
        }

        private void settle(long tag, boolean multiple, boolean ack) {
            Map<Long, String> settled = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
            for (Map.Entry<Long, String> entry : settled.entrySet()) {
                if (ack) {
                    confirmed.add(entry.getValue());
                }
                room.release();
            }
            settled.clear();
        }
    }
}
