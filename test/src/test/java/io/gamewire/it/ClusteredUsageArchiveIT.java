package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.archive.UsageArchive.Consolidation;
import io.gamewire.capacity.archive.UsageArchive.Resolution;
import io.gamewire.capacity.archive.UsageSeries;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two gamewire instances (one in a process of its own) on one MySQL database: each counts the
 * events it published, the one sampling instance (the clustered Quartz job {@code capacity-sample})
 * archives their sum, and the job fires once per step in all, not once per instance. Real services
 * only: the embedded stack's Quartz store is in memory.
 */
@Tag("services")
class ClusteredUsageArchiveIT {

    @Test
    void theSamplerArchivesTheEventsOfBothInstancesAndRunsOncePerStep() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.overrides.put("gamewire.capacity.counters-interval-ms", "300");
            int otherPort = GamewireUnderTest.freePort();
            Process other = gw.startWithPeer(otherPort);
            try {
                String service = gw.services.get(1);
                String command = service + ".match_end";
                UsageArchive archive = gw.bean("usageArchive", UsageArchive.class);
                // a step after both instances run: the sampler has its previous reading
                await().atMost(Duration.ofSeconds(30)).until(() -> archive.lastUpdate(service) > 0);
                long after = archive.lastUpdate(service) + 10;
                await().atMost(Duration.ofSeconds(30)).until(() -> archive.lastUpdate(service) >= after);

                for (int i = 0; i < 10; i++) {
                    assertThat(gw.post("/v1/events/" + command, "application/json", "{}").statusCode()).isEqualTo(202);
                }
                for (int i = 0; i < 15; i++) {
                    assertThat(postTo(gw, otherPort, "/v1/events/" + command).statusCode()).isEqualTo(202);
                }

                await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    UsageSeries rows = archive.fetch(command, Resolution.TEN_SECONDS, Consolidation.AVERAGE, after + 10,
                            archive.lastUpdate(command));
                    double events = Arrays.stream(rows.rates()).filter(rate -> !Double.isNaN(rate)).map(rate -> rate * 10).sum();
                    assertThat(events).isCloseTo(25, within(1e-6));
                });
                assertThat(gw.count("SELECT COUNT(DISTINCT instance_id) FROM capacity_counters WHERE series = '" + command + "'"))
                        .isEqualTo(2);

                double before = sampleRuns(gw, gw.httpPort) + sampleRuns(gw, otherPort);
                long started = System.nanoTime();
                await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> true);
                double seconds = (System.nanoTime() - started) / 1e9;
                double runs = sampleRuns(gw, gw.httpPort) + sampleRuns(gw, otherPort) - before;
                // one run a step in all; twice that if each instance fired
                assertThat(runs).as("capacity-sample runs in %.1f s", seconds).isBetween(seconds / 10 - 1, seconds / 10 + 1);
            } finally {
                // before this instance closes, while the peer's database is still there: the peer's stop
                // is then an ordinary one (one whose database is gone is PullStopIT's)
                GamewireUnderTest.stopProcess(other);
            }
        }
    }

    private static HttpResponse<String> postTo(GamewireUnderTest gw, int port, String path) throws Exception {
        return gw.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + gw.apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Exchanges the route {@code capacity-sample} completed on an instance, from its metrics. */
    private static double sampleRuns(GamewireUnderTest gw, int port) throws Exception {
        String metrics = gw.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("camel_exchanges_total{"))
                .filter(line -> line.contains("routeId=\"capacity-sample\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
