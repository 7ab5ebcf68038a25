package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.GamewireMain;
import io.gamewire.config.SharedJson;
import io.gamewire.monitor.tail.Tails;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MessageIds;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.titles.ApiKeyRing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The consoles' data endpoints and {@code gamewire console -c} on the stack the build selects: a
 * stored event shows its SQL row, KV record and cache entry; read-only SQL runs and its refusals say
 * why; send goes to staging (here dev, {@code gamewire.console.staging-environment}) and to prod only
 * with {@code "prod": true}; a replay to staging is stored with {@code gw-replay-of}; compare shows
 * both. Redacted fields stay masked in the SQL console, the KV and cache views and the tail, and no
 * API key or its hash is shown. Every console command runs against this gamewire: stats, queues,
 * tail (ended by its limit), dead letters listed and replayed, pulls listed and run, send and replay
 * to prod once the title's name is typed.
 */
class ConsoleIT {

    private static final String TOKEN = "admin-token-of-the-console-test";
    private static GamewireUnderTest gw;
    /** The publisher API of the title's pull "scores" (one page, one item), run by hand only. */
    private static PublisherApi publisher;

    @BeforeAll
    static void start() throws Exception {
        publisher = PublisherApi.serving("{\"items\": [{\"player\": \"pulled-1\", \"points\": 7, \"at\": 100}]}");
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.admin.token", TOKEN);
        gw.overrides.put("gamewire.console.staging-environment", "dev");
        // short, so that a slow query is cancelled within the test (every other query here is quick)
        gw.overrides.put("gamewire.console.sql-timeout", "2s");
        // the pull runs when the console asks, never on its schedule
        gw.overrides.put("gamewire.pulls.enabled", "false");
        gw.writeTitle(gw.titleYamlWithPull("pulls-paged", publisher.url()));
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            gw.close();
        } finally {
            publisher.close();
        }
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

    @Test
    void sqlRefusesEveryWayToCallAFileFunctionAndWritesNoFile() throws Exception {
        Path dir = Files.createTempDirectory("gamewire-console-it");
        Path target = dir.resolve("written.txt");
        try {
            String file = target.toString();
            assertRefused("SELECT `FILE_READ`('/etc/passwd', NULL)", "a quoted name before ( is refused");
            assertRefused("SELECT \"FILE_WRITE\"('x', '" + file + "')", "a quoted name before ( is refused");
            assertRefused("SELECT `CSVWRITE`('" + file + "', 'SELECT 1')", "a quoted name before ( is refused");
            assertRefused("SELECT `LINK_SCHEMA`('x', '', 'jdbc:h2:mem:x', 'sa', '', 'PUBLIC')",
                    "a quoted name before ( is refused");
            assertRefused("SELECT `LOAD_FILE`('/etc/passwd')", "a quoted name before ( is refused");
            assertRefused("SELECT $$'$$, FILE_WRITE($$x$$,$$" + file + "$$), $$'$$", "a $ outside quotes");
            assertRefused("SELECT message_id FROM events ORDER BY FILE_WRITE('x', '" + file + "')",
                    "the function FILE_WRITE is not allowed");
            assertRefused("SELECT * FROM CSVREAD('/etc/passwd')", "the function CSVREAD is not allowed");
            assertThat(target).doesNotExist();
        } finally {
            Files.deleteIfExists(target);
            Files.delete(dir);
        }
    }

    @Test
    void sqlAnswersTheDatabasesRefusalAs400AndATimeoutAs504() throws Exception {
        HttpResponse<String> typo = admin("POST", "/v1/admin/sql", "{\"sql\": \"SELECT no_such_column FROM events\"}");
        assertThat(typo.statusCode()).as(typo.body()).isEqualTo(400);
        assertThat(json(typo).path("message").asText()).startsWith("the database refused the query: ")
                .containsIgnoringCase("no_such_column");

        try (java.sql.Connection connection = gw.bean("dataSource", javax.sql.DataSource.class).getConnection()) {
            connection.createStatement().execute("CREATE TABLE slow_rows (n INT)");
            java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO slow_rows VALUES (?)");
            for (int n = 0; n < 1000; n++) {
                insert.setInt(1, n);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        // a billion combinations: far longer than gamewire.console.sql-timeout (2s) on either database
        HttpResponse<String> slow = admin("POST", "/v1/admin/sql", "{\"sql\": \"SELECT COUNT(*) FROM slow_rows a,"
                + " slow_rows b, slow_rows c WHERE a.n + b.n + c.n < 0\"}");
        assertThat(slow.statusCode()).as(slow.body()).isEqualTo(504);
        assertThat(json(slow).path("message").asText())
                .startsWith("the query ran longer than gamewire.console.sql-timeout (2 s) and was cancelled");
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
        java.util.Map<String, Boolean> eventRows = new java.util.HashMap<>();
        for (JsonNode title : titles.path("titles")) {
            for (JsonNode service : title.path("services")) {
                if (title.path("title").asText().equals(gw.title) && service.path("service").asText().equals("scores")) {
                    service.path("commands").forEach(command ->
                            eventRows.put(command.path("command").asText(), command.path("eventRow").asBoolean()));
                }
            }
        }
        assertThat(eventRows).containsEntry("scored", true).containsEntry("seen", false);
        JsonNode routes = json(admin("GET", "/v1/admin/routes", null));
        assertThat(routes.path("routes").findValuesAsText("id")).contains("http-ingest-event", "admin-routes");
        // a read of a stored event: events posted with a length are not the routes' exchanges (EventPostsOnEventLoop)
        assertThat(gw.get("/v1/events/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode route : json(admin("GET", "/v1/admin/routes", null)).path("routes")) {
                if (route.path("id").asText().equals("http-read-event")) {
                    return route.path("state").asText().equals("Started") && route.path("exchangesTotal").asLong() >= 1;
                }
            }
            return false;
        });
    }

    @Test
    void consoleRunsOneCommandForScripts() {
        Run titles = console("titles");
        assertThat(titles.status()).as(titles.toString()).isZero();
        assertThat(titles.out()).contains("TITLE", gw.title, "dev,prod", "scores,players", "scores");

        Run refused = console("sql DELETE FROM events");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("answered 400: refused: only SELECT");
    }

    @Test
    void redactedFieldsStayMaskedInSqlKvAndCache() throws Exception {
        String id = register("fay", "fay@example.org");
        String table = gw.title + "_registrations";

        JsonNode byName = sql("SELECT player, email FROM " + table + " WHERE player = 'fay'");
        assertThat(byName.path("rows").get(0)).isEqualTo(SharedJson.MAPPER.readTree("[\"fay\", \"***\"]"));
        JsonNode aliased = sql("SELECT r.email AS e FROM " + table + " r WHERE r.player = 'fay'");
        assertThat(aliased.path("rows").get(0).get(0).asText()).isEqualTo("***");
        JsonNode stored = sql("SELECT routing_key, payload FROM events WHERE message_id = '" + id + "'");
        assertThat(stored.path("rows").get(0).get(1).path("email").asText()).isEqualTo("***");
        assertThat(stored.path("rows").get(0).get(1).path("player").asText()).isEqualTo("fay");
        // without its routing key nothing says which fields a payload's title marks
        assertThat(sql("SELECT payload FROM events WHERE message_id = '" + id + "'").path("rows").get(0).get(0).asText())
                .isEqualTo("***");

        String why = "column " + table + ".email holds $.email of " + gw.title + "'s command scores.registered, which"
                + " its schema marks redact: true";
        assertRefused("SELECT UPPER(email) FROM " + table, why);
        assertRefused("SELECT CONCAT(email, '') FROM " + table, why);
        assertRefused("SELECT (SELECT email FROM " + table + " LIMIT 1) AS x FROM events", why);
        assertRefused("SELECT player FROM " + table + " WHERE email LIKE 'fay%'", why);
        assertRefused("SELECT message_id FROM events WHERE payload LIKE '%fay@%'", "column events.payload");

        JsonNode kv = json(admin("GET", "/v1/admin/kv?key=registration:fay", null));
        assertThat(kv.path("fields").path("email").asText()).isEqualTo("***");
        assertThat(kv.path("fields").path("player").asText()).isEqualTo("fay");
        assertThat(kv.path("writtenBy").get(0).asText()).isEqualTo(gw.title
                + ".scores.registered kv registration:{payload.player}");
        JsonNode cached = json(admin("GET", "/v1/admin/cache?key=registration:fay", null));
        assertThat(cached.path("value").path("email").asText()).isEqualTo("***");
        JsonNode view = json(admin("GET", "/v1/admin/cache?key=event:" + id, null));
        assertThat(view.path("value").path("payload").path("email").asText()).isEqualTo("***");

        Run printed = console("sql SELECT player, email FROM " + table + " WHERE player = 'fay'");
        assertThat(printed.status()).as(printed.toString()).isZero();
        assertThat(printed.out()).containsPattern("fay +\\*\\*\\*");
        Run record = console("kv get registration:fay");
        assertThat(record.out()).contains("\"email\" : \"***\"");
        for (String answer : List.of(byName.toString(), aliased.toString(), stored.toString(), kv.toString(),
                cached.toString(), view.toString(), printed.out(), record.out())) {
            assertThat(answer).doesNotContain("fay@example.org");
        }
    }

    @Test
    void noApiKeyOrItsHashIsShown() throws Exception {
        for (String path : List.of("/v1/admin/titles", "/v1/admin/routes", "/v1/admin/queues")) {
            String body = admin("GET", path, null).body();
            for (String key : List.of(gw.apiKey, gw.devOnlyKey, gw.slowKey)) {
                assertThat(body).as(path).doesNotContain(key, ApiKeyRing.sha256(key));
            }
        }
    }

    @Test
    void statsAndQueuesShowTheTitlesTraffic() throws Exception {
        storedEvent(score("gus", 2));
        String key = gw.title + ".prod.scores.scored";
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Run stats = console("stats " + gw.title + ".# 5m");
            return stats.status() == 0 && stats.out().lines().anyMatch(line -> line.startsWith(key + " ")
                    && Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]) >= 1);
        });
        Run stats = console("stats " + gw.title + ".# 5m");
        assertThat(stats.out()).contains("pattern " + gw.title + ".#, window 300 s", "ROUTING KEY", "(total)");

        Run badPattern = console("stats " + gw.title + ".a#");
        assertThat(badPattern.status()).isEqualTo(1);
        assertThat(badPattern.err()).contains("answered 400");

        await().atMost(Duration.ofSeconds(20)).until(() -> console("queues").out().contains(gw.title + ".prod.scores "));
        Run queues = console("queues");
        assertThat(queues.status()).isZero();
        assertThat(queues.out()).contains("QUEUE", "CONSUMERS", gw.title + ".dev.players", "(from passive-declare)");
    }

    @Test
    void tailFollowsMatchingEventsWithRedactedFieldsMaskedAndStopsAtItsLimit() throws Exception {
        Tails tails = gw.bean("tails", Tails.class);
        CompletableFuture<Run> tail = CompletableFuture.supplyAsync(
                () -> console("tail " + gw.title + ".prod.scores.registered --limit 2"));
        Run run;
        try {
            // bound (its queue has a name): events published from then on reach it
            await().atMost(Duration.ofSeconds(20)).until(tails::openTails,
                    open -> open.size() == 1 && open.get(0).queue() != null);
            register("hal", "hal@example.org");
            register("ivy", "ivy@example.org");
            run = tail.get(30, TimeUnit.SECONDS);
        } finally {
            // should the limit not end it, ending the tail here lets the other tests use the console
            if (!tail.isDone()) {
                tails.openTails().forEach(io.gamewire.monitor.tail.Tail::close);
            }
        }
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).contains("following " + gw.title + ".prod.scores.registered for 2 event(s)");
        assertThat(run.out().lines().filter(line -> line.contains(gw.title + ".prod.scores.registered http")))
                .hasSize(2).allMatch(line -> line.contains("\"email\":\"***\""));
        assertThat(run.out()).doesNotContain("hal@example.org", "ivy@example.org");
        await().atMost(Duration.ofSeconds(10)).until(() -> tails.openCount() == 0);
    }

    @Test
    void deadLettersAreListedAndReplayedFromTheConsole() throws Exception {
        String service = gw.title + ".prod.scores";
        UUID id = MessageIds.next();
        byte[] frame = new EnvelopeCodec().encode(Envelope.event(id, System.currentTimeMillis(), "application/json",
                service + ".end", "{}".getBytes(StandardCharsets.UTF_8)));
        // as if it had failed before: straight into the dead-letter queue
        new RabbitTemplate(gw.bean("connectionFactory", ConnectionFactory.class)).send(gw.deadLetterExchange,
                service + ".end", MessageBuilder.withBody(frame).setMessageId(id.toString())
                        .setContentType("application/x-gwp").setHeader(DeadLetters.REASON, "the database was gone")
                        .setHeader(DeadLetters.ATTEMPTS, 3).build());

        await().atMost(Duration.ofSeconds(20)).until(() -> console("dlq list " + service).out().contains(id.toString()));
        Run listed = console("dlq list " + service);
        assertThat(listed.status()).isZero();
        assertThat(listed.out()).contains("MESSAGE ID", service + ".end", "the database was gone");

        Run replayed = console("dlq replay " + service + " " + id);
        assertThat(replayed.status()).as(replayed.toString()).isZero();
        assertThat(replayed.out()).contains("replayed 1 from " + service + ": " + id);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin("GET", "/v1/admin/events/" + id, null).statusCode() == 200);
        assertThat(console("dlq list " + service).out()).doesNotContain(id.toString());
    }

    @Test
    void pullsAreListedAndAPullRunsWhenAsked() throws Exception {
        Run pulls = console("pulls");
        assertThat(pulls.status()).as(pulls.toString()).isZero();
        assertThat(pulls.out()).contains("PULL", gw.title + "/scores", "every 1h");

        Run run = console("pull " + gw.title + " scores");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("run \\S+ of " + gw.title + "/scores (queued|running|done)");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> gw.count("SELECT COUNT(*) FROM " + gw.title + "_scores WHERE player = 'pulled-1'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> console("pulls").out().lines()
                .anyMatch(line -> line.startsWith(gw.title + "/scores") && line.contains(" 100 ")));
        assertThat(publisher.requestCount()).isEqualTo(1);

        Run unknown = console("pull " + gw.title + " nope");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("answered 404");
    }

    @Test
    void sendAndReplayGoToProdOnlyOnceTheTitleIsTyped() throws Exception {
        Run toStaging = console("send " + gw.title + ".scores.scored {\"player\": \"jo\", \"points\": 1}");
        assertThat(toStaging.status()).as(toStaging.toString()).isZero();
        String sent = sentId(toStaging.out(), gw.title + ".dev.scores.scored");
        storedEvent(sent);

        String toProd = "send " + gw.title + ".prod.scores.scored {\"player\": \"jo\", \"points\": 2} --prod";
        Run unconfirmed = console(toProd, "prod\n");
        assertThat(unconfirmed.status()).isEqualTo(1);
        assertThat(unconfirmed.out()).contains("this goes to prod: type the title name (" + gw.title + ") to confirm");
        assertThat(unconfirmed.err()).contains("not confirmed: nothing was sent");
        Run confirmed = console(toProd, gw.title + "\n");
        assertThat(confirmed.status()).as(confirmed.toString()).isZero();
        assertThat(storedEvent(sentId(confirmed.out(), gw.title + ".prod.scores.scored")).path("payload").path("points")
                .asInt()).isEqualTo(2);

        Run replayUnconfirmed = console("replay " + sent + " --to prod --prod", "");
        assertThat(replayUnconfirmed.status()).isEqualTo(1);
        assertThat(replayUnconfirmed.err()).contains("not confirmed: nothing was sent");
        Run replayed = console("replay " + sent + " --to prod --prod", gw.title + "\n");
        assertThat(replayed.status()).as(replayed.toString()).isZero();
        assertThat(replayed.out()).contains("replayed " + sent + " as ");
        String copy = sentId(replayed.out().substring(replayed.out().indexOf(" as ")), gw.title + ".prod.scores.scored");
        JsonNode stored = storedEvent(copy);
        assertThat(stored.path("attributes").path("gw-replay-of").asText()).isEqualTo(sent);
        assertThat(stored.path("payload").path("points").asInt()).isEqualTo(1);
    }

    /** The message id the console printed as "… ID to ROUTING-KEY". */
    private static String sentId(String printed, String routingKey) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?:sent| as) ([0-9a-f-]{36}) to "
                + java.util.regex.Pattern.quote(routingKey)).matcher(printed);
        assertThat(matcher.find()).as(printed).isTrue();
        return matcher.group(1);
    }

    /** Posts a registration (its email redacted) to prod through the public API, and waits until it is stored. */
    private static String register(String player, String email) throws Exception {
        HttpResponse<String> accepted = gw.post("/v1/events/" + gw.title + ".prod.scores.registered", "application/json",
                "{\"player\":\"" + player + "\",\"email\":\"" + email + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).path("messageId").asText();
        storedEvent(id);
        return id;
    }

    private static JsonNode sql(String select) throws Exception {
        HttpResponse<String> answer = admin("POST", "/v1/admin/sql",
                SharedJson.MAPPER.createObjectNode().put("sql", select).toString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer);
    }

    /** What one {@code gamewire console -c COMMAND} printed, and its exit status. */
    private record Run(int status, String out, String err) {
    }

    private static Run console(String command) {
        return console(command, "");
    }

    /**
     * Runs {@code gamewire console -c COMMAND} against this gamewire, {@code input} as what is typed
     * (the prod confirmation). Standard streams are the JVM's: one command at a time.
     */
    private static synchronized Run console(String command, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        InputStream savedIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        int status;
        try {
            status = GamewireMain.run(new String[] {"console", "--url", "http://127.0.0.1:" + gw.httpPort, "--token",
                TOKEN, "-c", command});
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
