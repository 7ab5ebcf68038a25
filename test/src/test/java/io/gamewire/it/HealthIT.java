package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.AckFrame;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /observe/health} and its readiness half, {@code /observe/health/ready}, follow the database
 * and the broker, each reached through a TCP proxy that the test cuts and restores (an H2 TCP server
 * or the embedded broker on the embedded stack, MariaDB or RabbitMQ on the real one), and the drain
 * of a stop; the liveness half, {@code /observe/health/live}, follows none of them: a supervisor
 * that restarts what is not live would restart every instance during a broker outage.
 */
class HealthIT {

    @Test
    void healthIsDownWhileTheDatabaseIsUnreachable() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            ProxiedDatabase database = new ProxiedDatabase(gw);
            try {
                gw.start();
                assertHealth(gw, 200);

                assertReady(gw, 200);
                assertLive(gw);

                database.cut();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertHealth(gw, 503));
                HttpResponse<String> down = gw.get("/observe/health");
                assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("database");
                assertThat(assertReady(gw, 503)).contains("database");
                assertLive(gw);

                database.restore();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertHealth(gw, 200));
                assertReady(gw, 200);
            } finally {
                gw.stopApplication();
                database.close();
            }
        }
    }

    @Test
    void whileTheBrokerIsUnreachableEventsAreRefusedWith503AndHealthIsDown() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            TcpProxy proxy = gw.brokerBehindProxy();
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
                assertThat(assertReady(gw, 503)).contains("broker");
                assertLive(gw);

                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        gw.post("/v1/events/" + key, "application/json", "{}").statusCode()).isEqualTo(202));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertReady(gw, 200));
            } finally {
                gw.stopApplication();
                proxy.close();
            }
        }
    }

    @Test
    void notReadyButLiveWhileTheGwpPortDrainsSoThatALoadBalancerStopsSendingFirst() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            // the held REQUEST ends the drain when it times out: 20 s of room for the checks on a busy machine
            gw.overrides.put("gamewire.requests.timeout-ms", "20000");
            gw.overrides.put("gamewire.tcp.drain-timeout-ms", "20000");
            gw.start();
            try (GwpSocket open = new GwpSocket(gw.tcpPort)) {
                assertThat(open.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
                gw.holdARequestInFlight(open); // the drain waits for it
                CompletableFuture<Void> stopped = gw.stopInBackground();

                String draining = await().atMost(Duration.ofSeconds(4)).until(() -> gw.get(READY).body(),
                        body -> body.contains("\"status\":\"DOWN\""));
                assertThat(draining).contains("serving").contains("draining");
                assertThat(gw.get(READY).statusCode()).isEqualTo(503);
                // and live: a supervisor that polls liveness must not kill it in the middle of its drain
                assertLive(gw);
                assertThat(stopped).as("the drain still waits for the REQUEST in flight").isNotDone();
                stopped.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static final String LIVE = "/observe/health/live?exposureLevel=full";
    private static final String READY = "/observe/health/ready?exposureLevel=full";

    /** Live is 200 whatever the backends do; returns nothing, the body is all UP. */
    private static void assertLive(GamewireUnderTest gw) throws Exception {
        HttpResponse<String> live = gw.get(LIVE);
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"").doesNotContain("DOWN");
    }

    /** Asserts the readiness status and returns the body, which names the checks that are down. */
    private static String assertReady(GamewireUnderTest gw, int status) throws Exception {
        HttpResponse<String> ready = gw.get(READY);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(status);
        return ready.body();
    }

    private static void assertHealth(GamewireUnderTest gw, int status) throws Exception {
        HttpResponse<String> health = gw.get("/observe/health?exposureLevel=full");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(status);
    }
}
