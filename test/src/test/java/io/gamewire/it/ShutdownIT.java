package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.testsupport.RealServices;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * SIGTERM stops gamewire in order on both stacks: the consumers stop, the batches they hold are
 * written, then the stores close and the broker stops; the log stays free of stack traces, and the
 * process exits 0. Before, the JVM's shutdown hooks ran beside Camel's stop: H2 closed the
 * database under the last batches, the embedded broker its connections under the consumers, and
 * the process exited 143. The batches are held for two seconds, so the stop meets them unwritten.
 */
class ShutdownIT {

    private static final int EVENTS = 15; // under the scores queue's prefetch (20): all are delivered at once

    private GamewireUnderTest gw;

    @AfterEach
    void close() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void sigtermWritesTheBatchesHeldStopsQuietlyAndExitsZero() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.store.batch-size", "1000");
        gw.overrides.put("gamewire.store.batch-wait-ms", "2000");
        String service = gw.services.get(0);
        Process process = gw.startProcess(Map.of());
        try {
            await().atMost(GamewireUnderTest.PROCESS_START_LIMIT).until(gw::healthy);
            for (int i = 0; i < EVENTS; i++) {
                assertThat(gw.post("/v1/events/" + service + ".scored", "application/json",
                        "{\"player\":\"p" + i + "\",\"points\":" + i + "}").statusCode()).isEqualTo(202);
            }
            if (GamewireUnderTest.SERVICES) {
                // RabbitMQ counts ready messages only: at 0 every event is with the consumers, in a
                // batch (the embedded broker counts delivered ones too, so there the stop may also
                // find some still queued: they stay there, and the restart below stores them)
                awaitDelivered(service);
            }

            process.destroy(); // SIGTERM

            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            assertThat(exited).as("stopped within the shutdown timeout; the log ends:%n%s", logTail()).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly().waitFor();
        }
        List<String> log = Files.readAllLines(gw.processLog(gw.httpPort));
        assertThat(log).as("the log of the stop").noneMatch(line -> line.startsWith("\tat "))
                .noneMatch(line -> line.contains("already closed"))
                .anyMatch(line -> line.contains("SIGTERM received: stopping"));
        long stored = storedBeforeTheExit("SELECT COUNT(*) FROM events");
        if (GamewireUnderTest.SERVICES) {
            assertThat(stored).as("every delivered event written before the exit").isEqualTo(EVENTS);
        }
        assertThat(storedBeforeTheExit("SELECT COUNT(*) FROM " + gw.title + "_scores")).isEqualTo(stored);

        // what the stop left queued is stored after the next start, and nothing twice
        gw.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.count("SELECT COUNT(*) FROM events") == EVENTS);
        assertThat(gw.count("SELECT COUNT(DISTINCT gw_message_id) FROM " + gw.title + "_scores")).isEqualTo(EVENTS);
    }

    private String logTail() throws java.io.IOException {
        List<String> log = Files.readAllLines(gw.processLog(gw.httpPort));
        return String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
    }

    private static void awaitDelivered(String queue) {
        CachingConnectionFactory broker = new CachingConnectionFactory(RealServices.RABBIT_HOST, RealServices.RABBIT_PORT);
        broker.setUsername(RealServices.RABBIT_USER);
        broker.setPassword(RealServices.RABBIT_PASSWORD);
        try {
            RabbitAdmin admin = new RabbitAdmin(broker);
            await().atMost(Duration.ofSeconds(20)).until(() -> admin.getQueueInfo(queue).getMessageCount() == 0);
        } finally {
            broker.destroy();
        }
    }

    /** A count from the database the stopped process wrote (its H2 file is free once it has exited). */
    private long storedBeforeTheExit(String sql) throws Exception {
        String url = GamewireUnderTest.SERVICES ? RealServices.mysqlUrl(gw.database())
                : "jdbc:h2:file:" + gw.dataDir.resolve("db/gamewire") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE";
        String user = GamewireUnderTest.SERVICES ? RealServices.MYSQL_USER : "sa";
        String password = GamewireUnderTest.SERVICES ? RealServices.MYSQL_PASSWORD : "";
        try (Connection connection = DriverManager.getConnection(url, user, password);
             ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
