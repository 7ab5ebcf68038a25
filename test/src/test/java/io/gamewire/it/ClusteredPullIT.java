package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.gamewire.testsupport.RealServices;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two gamewire instances (one in a process of its own) on one MySQL database share Quartz's
 * clustered JDBC job store: a pull scheduled every second on both is fired about once a second in
 * all, not once per instance. Real services only: the embedded stack's store is in memory.
 */
@Tag("services")
class ClusteredPullIT {

    @Test
    void twoInstancesFireAPullOncePerSchedule() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer publisher = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        publisher.createContext("/v1/scores", exchange -> {
            requests.incrementAndGet();
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        publisher.start();
        Process other = null;
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.writeTitle(gw.titleYaml() + """
                    pulls:
                      scores:
                        schedule: {every: 1s}
                        request:
                          url: "http://127.0.0.1:%d/v1/scores"
                          conditional: false
                        emit:
                          routing-key: %s.scored
                          id: $.player
                    """.formatted(publisher.getAddress().getPort(), gw.services.get(0)));
            int otherPort = GamewireUnderTest.freePort();
            other = gw.startProcess(Map.of("gamewire.http.port", Integer.toString(otherPort),
                    "gamewire.tcp.port", Integer.toString(GamewireUnderTest.freePort())));
            await().atMost(Duration.ofSeconds(90)).until(() -> healthy(gw, otherPort));
            gw.start();
            // both instances checked in to the cluster
            await().atMost(Duration.ofSeconds(30)).until(() -> count(gw, "SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE") == 2);

            int before = requests.get();
            long started = System.nanoTime();
            await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
            double seconds = (System.nanoTime() - started) / 1e9;
            int fired = requests.get() - before;

            // once a second in all, give or take a misfire; two per second if each instance fired
            assertThat(fired).as("runs in %.1f s", seconds).isBetween((int) seconds - 3, (int) seconds + 3);
        } finally {
            if (other != null) {
                other.destroy();
                other.waitFor();
            }
            publisher.stop(0);
        }
    }

    private static boolean healthy(GamewireUnderTest gw, int port) {
        try {
            HttpResponse<String> health = gw.http().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static long count(GamewireUnderTest gw, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(RealServices.mysqlUrl(gw.database()),
                RealServices.MYSQL_USER, RealServices.MYSQL_PASSWORD);
             ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
