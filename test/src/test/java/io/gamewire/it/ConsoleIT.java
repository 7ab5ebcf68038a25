package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.GamewireMain;
import io.gamewire.config.SharedJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consoles' data endpoints and {@code gamewire console -c} on the stack the build selects: a
 * stored event shows its SQL row, KV record and cache entry; read-only SQL runs and its refusals say
 * why; send goes to staging (here dev, {@code gamewire.console.staging-environment}) and to prod only
 * with {@code "prod": true}; a replay to staging is stored with {@code gw-replay-of}; compare shows
 * both.
 */
class ConsoleIT {

    private static final String TOKEN = "admin-token-of-the-console-test";
    private static GamewireUnderTest gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.admin.token", TOKEN);
        gw.overrides.put("gamewire.console.staging-environment", "dev");
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return gw.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return SharedJson.MAPPER.readTree(response.body());
    }

    /** Posts a scored event to prod through the public API; its message id. */
    private static String score(String player, int points) throws Exception {
        HttpResponse<String> accepted = gw.post("/v1/events/" + gw.title + ".prod.scores.scored", "application/json",
                "{\"player\":\"" + player + "\",\"points\":" + points + "}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json(accepted).path("messageId").asText();
    }

    /** The stored event's view, once it is stored. */
    private static JsonNode storedEvent(String id) {
        HttpResponse<String>[] found = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found[0] = admin("GET", "/v1/admin/events/" + id, null);
            return found[0].statusCode() == 200 && json(found[0]).path("cache").path("found").asBoolean();
        });
        try {
            return json(found[0]);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEventShowsWhatItLeftInSqlKvAndCache() throws Exception {
        String id = score("ann", 3);
        JsonNode event = storedEvent(id);

        assertThat(event.path("routingKey").asText()).isEqualTo(gw.title + ".prod.scores.scored");
        assertThat(event.path("payload").path("points").asInt()).isEqualTo(3);
        assertThat(event.path("attributes").has("gw-received-at")).isTrue();
        assertThat(event.path("sql").path("table").asText()).isEqualTo(gw.title + "_scores");
        assertThat(event.path("sql").path("row").path("points").asInt()).isEqualTo(3);
        assertThat(event.path("sql").path("writtenByThisEvent").asBoolean()).isTrue();
        assertThat(event.path("kv").path("key").asText()).isEqualTo("player:ann");
        assertThat(event.path("kv").path("fields").path("lastPoints").asText()).isEqualTo("3");
        assertThat(event.path("cache").path("key").asText()).isEqualTo("score:ann");
        assertThat(event.path("cache").path("value").path("player").asText()).isEqualTo("ann");

        assertThat(json(admin("GET", "/v1/admin/kv?key=player:ann", null)).path("fields").path("lastPoints").asText())
                .isEqualTo("3");
        assertThat(json(admin("GET", "/v1/admin/cache?key=score:ann", null)).path("value").path("points").asInt())
                .isEqualTo(3);
        assertThat(admin("GET", "/v1/admin/kv?key=player:nobody", null).statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/v1/admin/events/" + java.util.UUID.randomUUID(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void redactedFieldsAreMaskedInThePayloadAndInWhatTheSinksTookFromThem() throws Exception {
        HttpResponse<String> accepted = gw.post("/v1/events/" + gw.title + ".prod.scores.registered", "application/json",
                "{\"player\":\"dee\",\"email\":\"dee@example.org\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode event = storedEvent(json(accepted).path("messageId").asText());

        assertThat(event.path("payload").path("email").asText()).isEqualTo("***");
        assertThat(event.path("sql").path("row").path("email").asText()).isEqualTo("***");
        assertThat(event.path("sql").path("row").path("player").asText()).isEqualTo("dee");
        assertThat(event.path("kv").path("fields").path("email").asText()).isEqualTo("***");
        assertThat(event.path("kv").path("fields").path("player").asText()).isEqualTo("dee");
        assertThat(event.path("cache").path("value").path("email").asText()).isEqualTo("***");
        assertThat(event.toString()).doesNotContain("dee@example.org");
    }

    @Test
    void sqlRunsOneSelectAndRefusesWritesAndLocksWithTheReason() throws Exception {
        storedEvent(score("bo", 5));
        storedEvent(score("bea", 6)); // two events at least, so a limit of 1 leaves one out

        HttpResponse<String> select = admin("POST", "/v1/admin/sql",
                "{\"sql\": \"SELECT player, points FROM " + gw.title + "_scores WHERE player = 'bo'\", \"limit\": 10}");
        assertThat(select.statusCode()).as(select.body()).isEqualTo(200);
        JsonNode result = json(select);
        assertThat(result.path("columns").get(0).asText()).isEqualToIgnoringCase("player");
        assertThat(result.path("rows").get(0).get(1).asInt()).isEqualTo(5);
        assertThat(result.path("truncated").asBoolean()).isFalse();

        HttpResponse<String> limited = admin("POST", "/v1/admin/sql", "{\"sql\": \"SELECT * FROM events\", \"limit\": 1}");
        assertThat(json(limited).path("rows").size()).isEqualTo(1);
        assertThat(json(limited).path("truncated").asBoolean()).isTrue();

        String table = gw.title + "_scores";
        assertRefused("DELETE FROM " + table, "only SELECT (or WITH … SELECT) is allowed, not DELETE");
        assertRefused("SELECT 1; DROP TABLE " + table, "more than one statement");
        assertRefused("SELECT * FROM " + table + " FOR UPDATE", "FOR UPDATE locks rows");
        assertRefused("SELECT * FROM " + table + " INTO OUTFILE '/tmp/gamewire-x'", "INTO OUTFILE writes a file");
        assertRefused("SELECT * FROM information_schema.tables", "information_schema");
        assertThat(gw.count("SELECT COUNT(*) FROM " + table + " WHERE player = 'bo'")).isEqualTo(1);
    }

    private static void assertRefused(String sql, String reason) throws Exception {
        HttpResponse<String> refused = admin("POST", "/v1/admin/sql",
                SharedJson.MAPPER.createObjectNode().put("sql", sql).toString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused).path("message").asText()).contains(reason);
    }

    @Test
    void sendGoesToStagingAndToProdOnlyWhenAskedFor() throws Exception {
        HttpResponse<String> sent = admin("POST", "/v1/admin/send", "{\"routingKey\": \"" + gw.title
                + ".scores.scored\", \"payload\": {\"player\": \"cy\", \"points\": 8}}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        assertThat(json(sent).path("routingKey").asText()).isEqualTo(gw.title + ".dev.scores.scored");
        JsonNode stored = storedEvent(json(sent).path("messageId").asText());
        assertThat(stored.path("attributes").path("gw-source").asText()).isEqualTo("console");

        String toProd = "{\"routingKey\": \"" + gw.title + ".prod.scores.scored\", \"payload\": {\"player\": \"cy\","
                + " \"points\": 9}";
        HttpResponse<String> refused = admin("POST", "/v1/admin/send", toProd + "}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(json(refused).path("message").asText()).contains("needs \"prod\": true");
        assertThat(admin("POST", "/v1/admin/send", toProd + ", \"prod\": true}").statusCode()).isEqualTo(202);

        HttpResponse<String> invalid = admin("POST", "/v1/admin/send", "{\"routingKey\": \"" + gw.title
                + ".scores.scored\", \"payload\": {\"player\": \"cy\"}}");
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
        assertThat(json(invalid).path("message").asText()).contains("points");
    }

    @Test
    void replayToStagingStoresANewEventNamingTheOriginalAndCompareShowsBoth() throws Exception {
        String original = score("di", 4);
        storedEvent(original);

        HttpResponse<String> replayed = admin("POST", "/v1/admin/replay",
                "{\"messageId\": \"" + original + "\", \"toEnv\": \"dev\"}");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
        String copy = json(replayed).path("messageId").asText();
        assertThat(copy).isNotEqualTo(original);
        JsonNode stored = storedEvent(copy);
        assertThat(stored.path("routingKey").asText()).isEqualTo(gw.title + ".dev.scores.scored");
        assertThat(stored.path("attributes").path("gw-replay-of").asText()).isEqualTo(original);
        assertThat(stored.path("attributes").path("gw-source").asText()).isEqualTo("replay");
        assertThat(stored.path("payload")).isEqualTo(storedEvent(original).path("payload"));

        assertThat(admin("POST", "/v1/admin/replay", "{\"messageId\": \"" + original + "\", \"toEnv\": \"prod\"}")
                .statusCode()).isEqualTo(403);

        JsonNode compared = json(admin("GET", "/v1/admin/compare?a=" + original + "&b=" + copy, null));
        assertThat(compared.path("a").path("messageId").asText()).isEqualTo(original);
        assertThat(compared.path("b").path("messageId").asText()).isEqualTo(copy);
        assertThat(compared.path("differences").path("payload")).isEmpty();
        assertThat(compared.path("b").path("sql").path("row").path("points").asInt()).isEqualTo(4);
    }

    @Test
    void titlesAndRoutesListWhatRuns() throws Exception {
        JsonNode titles = json(admin("GET", "/v1/admin/titles", null));
        assertThat(titles.path("routingKeys").toString()).contains(gw.title + ".prod.scores.scored");
        JsonNode routes = json(admin("GET", "/v1/admin/routes", null));
        assertThat(routes.path("routes").findValuesAsText("id")).contains("http-ingest-event", "admin-routes");
        gw.post("/v1/events/" + gw.title + ".prod.scores.match_end", "application/json", "{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode route : json(admin("GET", "/v1/admin/routes", null)).path("routes")) {
                if (route.path("id").asText().equals("http-ingest-event")) {
                    return route.path("state").asText().equals("Started") && route.path("exchangesTotal").asLong() >= 1;
                }
            }
            return false;
        });
    }

    @Test
    void consoleRunsOneCommandForScripts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int titles;
        int refused;
        try {
            titles = GamewireMain.run(new String[] {"console", "--url", "http://127.0.0.1:" + gw.httpPort, "--token",
                TOKEN, "-c", "titles"});
            refused = GamewireMain.run(new String[] {"console", "--url", "http://127.0.0.1:" + gw.httpPort, "--token",
                TOKEN, "-c", "sql DELETE FROM events"});
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(titles).as(printed + err).isZero();
        assertThat(printed).contains("TITLE", gw.title, "dev,prod", "scores,players");
        assertThat(refused).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("answered 400: refused: only SELECT");
    }
}
