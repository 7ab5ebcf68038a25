package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.archive.UsageArchive.Consolidation;
import io.gamewire.capacity.archive.UsageArchive.Resolution;
import io.gamewire.capacity.archive.UsageSeries;
import io.gamewire.routes.CapacityRoutes;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events posted over HTTP end up as rates in the usage archives: confirmed publishes counted per
 * instance, written to {@code capacity_counters}, summed and turned into a rate by the
 * {@code capacity-sample} route every 10 s (files on the embedded stack, SQL with {@code -Pservices}).
 */
class UsageArchiveIT {

    private static GamewireUnderTest gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.capacity.counters-interval-ms", "300");
        gw.overrides.put("gamewire.ops.queue-poll-interval-ms", "300");
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void eventsPostedOverHttpLandAsRatesInTheArchive() throws Exception {
        String service = gw.services.get(1); // <title>.prod.scores
        String command = service + ".match_end";
        UsageArchive archive = gw.bean("usageArchive", UsageArchive.class);
        assertThat(gw.camel().getRoute(CapacityRoutes.SAMPLE_ROUTE_ID)).isNotNull();
        // the first step has no previous reading: its rates are unknown, so post after it
        await().atMost(Duration.ofSeconds(30)).until(() -> archive.lastUpdate(service) > 0);
        long after = archive.lastUpdate(service);

        for (int i = 0; i < 20; i++) {
            assertThat(gw.post("/v1/events/" + command, "application/json", "{\"n\":" + i + "}").statusCode())
                    .isEqualTo(202);
        }
        // refused (its schema wants points): never published, not counted
        assertThat(gw.post("/v1/events/" + service + ".scored", "application/json", "{\"player\":\"ada\"}")
                .statusCode()).isEqualTo(400);
        // a query is published as a request (reply-to set): not an event, not counted
        String query = gw.title + ".prod.players.get";
        gw.get("/v1/query/" + query + "?playerId=nobody");

        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            long last = archive.lastUpdate(service);
            UsageSeries services = archive.fetch(service, Resolution.TEN_SECONDS, Consolidation.AVERAGE, after + 10, last);
            UsageSeries commands = archive.fetch(command, Resolution.TEN_SECONDS, Consolidation.AVERAGE, after + 10, last);
            assertThat(events(services)).isCloseTo(20, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(events(commands)).isCloseTo(20, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(Arrays.stream(services.consumers()).max().orElse(0)).isGreaterThanOrEqualTo(1);
            assertThat(Arrays.stream(commands.consumers()).filter(value -> !Double.isNaN(value)).count()).isZero();
            assertThat(events(archive.fetch(query, Resolution.TEN_SECONDS, Consolidation.AVERAGE, after + 10, last)))
                    .isZero();
        });
        assertThat(gw.count("SELECT SUM(total) FROM capacity_counters WHERE series = '" + command + "'")).isEqualTo(20);
        assertThat(gw.count("SELECT COUNT(*) FROM capacity_counters WHERE series = '" + query + "'")).isZero();
        assertThat(archive.series()).contains(service, command, gw.services.get(0));
    }

    /** Events over the rows: each row's rate times its 10 s, unknown rows left out. */
    private static double events(UsageSeries series) {
        return Arrays.stream(series.rates()).filter(rate -> !Double.isNaN(rate)).map(rate -> rate * series.stepSeconds())
                .sum();
    }
}
