package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.testsupport.RealServices;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /observe/health} follows the database: the database is reached through a TCP proxy that
 * the test cuts and restores (an H2 TCP server on the embedded stack, MariaDB on the real one).
 */
class HealthIT {

    @Test
    void healthIsDownWhileTheDatabaseIsUnreachable() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            ProxiedDatabase database = new ProxiedDatabase(gw);
            try {
                gw.start();
                assertHealth(gw, 200);

                database.cut();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertHealth(gw, 503));
                HttpResponse<String> down = gw.get("/observe/health");
                assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("database");

                database.restore();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertHealth(gw, 200));
            } finally {
                gw.stopApplication();
                database.close();
            }
        }
    }

    @Test
    void whileTheBrokerIsUnreachableEventsAreRefusedWith503AndHealthIsDown() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            TcpProxy proxy;
            if (GamewireUnderTest.SERVICES) {
                proxy = new TcpProxy(RealServices.RABBIT_HOST, RealServices.RABBIT_PORT);
            } else {
                proxy = new TcpProxy("127.0.0.1", Integer.parseInt(gw.overrides.get("gamewire.broker.embedded.port")));
            }
            gw.overrides.put("gamewire.broker.host", "127.0.0.1");
            gw.overrides.put("gamewire.broker.port", Integer.toString(proxy.port()));
            gw.overrides.put("gamewire.broker.timeout-ms", "1000");
            gw.overrides.put("gamewire.bus.confirm-timeout-ms", "2000");
            String key = gw.services.get(0) + ".during_outage";
            try {
                gw.start();
                assertThat(gw.post("/v1/events/" + key, "application/json", "{}").statusCode()).isEqualTo(202);

                proxy.cut();
                HttpResponse<String> refused = gw.post("/v1/events/" + key, "application/json", "{}");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                // the outcome is unknown, and the body gives the id gamewire made, to resend it with
                assertThat(refused.body()).contains("outcome unknown: the message broker was unreachable or did not confirm")
                        .contains("resend it with the same message id").containsPattern("\"messageId\":\"[0-9a-f-]{36}\"");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertHealth(gw, 503));
                assertThat(gw.get("/observe/health").body()).contains("broker");

                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        gw.post("/v1/events/" + key, "application/json", "{}").statusCode()).isEqualTo(202));
            } finally {
                gw.stopApplication();
                proxy.close();
            }
        }
    }

    private static void assertHealth(GamewireUnderTest gw, int status) throws Exception {
        HttpResponse<String> health = gw.get("/observe/health?exposureLevel=full");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(status);
    }
}
