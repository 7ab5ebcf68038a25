package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.gamewire.pulls.PullDeployer;
import io.gamewire.sinks.kv.KvStore;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A title's pull scheduled by Quartz, end to end on the stack the build selects: a publisher API
 * (a local HTTP server) is fetched every second, its items become events of the title's
 * {@code scored} command and are stored; later runs fetch the same items again and publish none
 * twice (item-id dedupe), and the run's state is in the KV store. {@code /observe/metrics} shows
 * the pull's meters in Prometheus text next to Camel's route meters and the JVM's, which holds only
 * while gamewire's meters are registered in the registry Camel serves.
 */
class PullScheduleIT {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

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
            // a run's meters are recorded after its last page, so they may trail the rows a moment
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertScrapedMetrics(gw));
        } finally {
            publisher.stop(0);
        }
    }

    private static void assertScrapedMetrics(GamewireUnderTest gw) throws Exception {
        HttpResponse<String> scrape = gw.get("/observe/metrics");
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        String text = scrape.body();
        Map<String, String> pull = Map.of("title", gw.title, "pull", "scores");
        assertThat(sample(text, "gamewire_pull_runs_total", with(pull, "outcome", "ok")))
                .as("runs of the pull that ended well").isNotNull().isGreaterThanOrEqualTo(2.0);
        assertThat(sample(text, "gamewire_pull_items_total", with(pull, "outcome", "published")))
                .as("items published, each once").isEqualTo(3.0);
        assertThat(sample(text, "gamewire_pull_items_total", with(pull, "outcome", "duplicate")))
                .as("items fetched again and skipped").isNotNull().isGreaterThanOrEqualTo(3.0);
        assertThat(sample(text, "camel_exchanges_total",
                Map.of("routeId", PullDeployer.routeId(gw.title, "scores"))))
                .as("Camel's count of exchanges of the pull's route").isNotNull().isGreaterThanOrEqualTo(2.0);
        assertThat(sample(text, "jvm_threads_live_threads", Map.of()))
                .as("a JVM binder's meter").isNotNull().isPositive();
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new HashMap<>(labels);
        more.put(name, value);
        return more;
    }

    /**
     * The value of the sample of {@code metric} whose labels include {@code labels}, read from
     * Prometheus text format ({@code name{label="value",...} 1.0}); null when there is none.
     */
    private static Double sample(String text, String metric, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches() || !sample.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                found.put(label.group(1), label.group(2));
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                return Double.valueOf(sample.group(3));
            }
        }
        return null;
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
