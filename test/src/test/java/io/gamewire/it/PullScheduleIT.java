package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.MessageIds;
import io.gamewire.deploy.PullDeployer;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.SqlEventStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A title's pull scheduled by Quartz, end to end on the stack the build selects: a publisher API
 * (a local HTTP server) is fetched every second, its items become events of the title's
 * {@code scored} command and are stored; later runs fetch the same items again and publish none
 * twice (item-id dedupe), and the run's state is in the KV store. An item the command's schema
 * refuses lands in the service's dead-letter queue, the others are stored.
 */
class PullScheduleIT {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static final String ITEMS = "[{\"player\":\"ann\",\"points\":3},{\"player\":\"bo\",\"points\":5},"
            + "{\"player\":\"cy\",\"points\":8}]";
    /** dee has no points, which the scored command requires. */
    private static final String ITEMS_WITH_ONE_REFUSED = "[{\"player\":\"ann\",\"points\":3},{\"player\":\"dee\"},"
            + "{\"player\":\"bo\",\"points\":5},{\"player\":\"cy\",\"points\":8}]";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aScheduledPullPublishesEachItemOnce() throws Exception {
        PublisherApi publisher = PublisherApi.serving(ITEMS);
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.writeTitle(gw.titleYamlWithPull("pulls-every-second", publisher.url()));
            gw.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> rows(gw) == 3);
            int fetchesThen = publisher.requestCount();
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.requestCount() >= fetchesThen + 3);

            assertThat(rows(gw)).as("the same items fetched again are not published twice").isEqualTo(3);
            assertThat(gw.bean("kvStore", KvStore.class).get("gw-pull:" + gw.title + ":scores"))
                    .containsKey("last-run-at");
            // a run's meters are recorded after its last page, so they may trail the rows a moment
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertScrapedMetrics(gw));
        } finally {
            publisher.close();
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
        // the pull's resilience4j circuit breaker: closed, its successful runs counted
        assertThat(sample(text, "resilience4j_circuitbreaker_state",
                Map.of("name", gw.title + "/scores", "state", "closed")))
                .as("the pull's breaker, closed").isEqualTo(1.0);
        assertThat(sample(text, "resilience4j_circuitbreaker_calls_seconds_count",
                Map.of("name", gw.title + "/scores", "kind", "successful")))
                .as("runs the breaker counted as successful").isNotNull().isGreaterThanOrEqualTo(2.0);
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

    @Test
    void anItemTheSchemaRefusesIsDeadLetteredAndTheOthersAreStored() throws Exception {
        PublisherApi publisher = PublisherApi.serving(ITEMS_WITH_ONE_REFUSED);
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            String admin = "admin-" + gw.id;
            gw.overrides.put("gamewire.admin.token", admin);
            gw.writeTitle(gw.titleYamlWithPull("pulls-every-second", publisher.url()));
            gw.start();
            String service = gw.services.get(0);
            String listPath = "/v1/admin/dlq?queue=" + service;

            await().atMost(Duration.ofSeconds(30)).until(() -> rows(gw) == 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters(gw, listPath, admin).get("count").asInt() >= 1);
            int fetchesThen = publisher.requestCount();
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.requestCount() >= fetchesThen + 2);

            JsonNode listed = deadLetters(gw, listPath, admin);
            assertThat(listed.get("count").asInt()).as("later runs skip it as a duplicate").isEqualTo(1);
            JsonNode dead = listed.get("deadLetters").get(0);
            UUID id = MessageIds.named("pull", gw.title, "scores", "dee");
            assertThat(dead.get("messageId").asText()).isEqualTo(id.toString());
            assertThat(dead.get("routingKey").asText()).isEqualTo(service + ".scored");
            assertThat(dead.get("reason").asText()).isEqualTo("pull " + gw.title + "/scores, page 1, item at index 1"
                    + " (id dee): payload lacks required field 'points' (schema of " + service + ".scored)");
            assertThat(dead.get("exception").asText()).isEqualTo("io.gamewire.pulls.ItemRefusedException");
            assertThat(rows(gw)).isEqualTo(3);

            // the dead letter is the event as it would have been: replayed, it is stored under its id
            HttpResponse<String> replay = gw.http().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gw.httpPort + "/v1/admin/dlq/replay"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"queue\": \"" + service + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
            SqlEventStore events = gw.bean("sqlEventStore", SqlEventStore.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> events.countById(id) == 1);
        } finally {
            publisher.close();
        }
    }

    private static JsonNode deadLetters(GamewireUnderTest gw, String path, String adminToken) throws Exception {
        HttpResponse<String> listing = gw.http().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gw.httpPort + path))
                .header("Authorization", "Bearer " + adminToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
        return JSON.readTree(listing.body());
    }

    private static long rows(GamewireUnderTest gw) throws Exception {
        return gw.count("SELECT COUNT(*) FROM " + gw.title + "_scores");
    }
}
