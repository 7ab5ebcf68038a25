package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.gamewire.sinks.kv.KvStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A title's pull scheduled by Quartz, end to end on the stack the build selects: a publisher API
 * (a local HTTP server) is fetched every second, its items become events of the title's
 * {@code scored} command and are stored; later runs fetch the same items again and publish none
 * twice (item-id dedupe), and the run's state is in the KV store.
 */
class PullScheduleIT {

    private static final String ITEMS = "[{\"player\":\"ann\",\"points\":3},{\"player\":\"bo\",\"points\":5},"
            + "{\"player\":\"cy\",\"points\":8}]";

    @Test
    void aScheduledPullPublishesEachItemOnce() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer publisher = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        publisher.createContext("/v1/scores", exchange -> {
            requests.incrementAndGet();
            byte[] body = ITEMS.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        publisher.start();
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            String key = gw.services.get(0) + ".scored";
            gw.writeTitle(gw.titleYaml() + """
                    pulls:
                      scores:
                        schedule: {every: 1s}
                        request:
                          url: "http://127.0.0.1:%d/v1/scores"
                          conditional: false
                        emit:
                          routing-key: %s
                          id: $.player
                    """.formatted(publisher.getAddress().getPort(), key));
            gw.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> rows(gw) == 3);
            int fetchesThen = requests.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> requests.get() >= fetchesThen + 3);

            assertThat(rows(gw)).as("the same items fetched again are not published twice").isEqualTo(3);
            assertThat(gw.bean("kvStore", KvStore.class).get("gw-pull:" + gw.title + ":scores"))
                    .containsKey("last-run-at");
        } finally {
            publisher.stop(0);
        }
    }

    private static long rows(GamewireUnderTest gw) throws Exception {
        try (java.sql.Connection connection = gw.bean("dataSource", javax.sql.DataSource.class).getConnection();
             java.sql.ResultSet row = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM " + gw.title + "_scores")) {
            row.next();
            return row.getLong(1);
        }
    }
}
