package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MessageIds;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.EventView;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.SqlEventStore;
import java.util.Map;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** The foundation slice end to end: HTTP in, confirmed publish, stored once, read back. */
class EventSliceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GamewireUnderTest gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest().start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static SqlEventStore events() {
        return gw.bean("sqlEventStore", SqlEventStore.class);
    }

    @Test
    void postedEventIsConfirmedStoredAndReadBack() throws Exception {
        String key = gw.services.get(0) + ".match_end";
        HttpResponse<String> posted = gw.post("/v1/events/" + key, "application/json", "{\"player\":\"ada\",\"score\":42}");

        assertThat(posted.statusCode()).isEqualTo(202);
        UUID id = UUID.fromString(JSON.readTree(posted.body()).get("messageId").asText());
        assertThat(id.version()).isEqualTo(7);

        await().atMost(Duration.ofSeconds(20)).until(() -> events().countById(id) == 1);
        HttpResponse<String> read = gw.get("/v1/events/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode event = JSON.readTree(read.body());
        assertThat(event.get("messageId").asText()).isEqualTo(id.toString());
        assertThat(event.get("routingKey").asText()).isEqualTo(key);
        assertThat(event.get("payload").get("player").asText()).isEqualTo("ada");
        assertThat(event.get("payload").get("score").asInt()).isEqualTo(42);
        assertThat(event.get("receivedAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    }

    @Test
    void aDuplicateDeliveryIsStoredOnce() throws Exception {
        String service = gw.services.get(1);
        UUID id = MessageIds.next();
        byte[] frame = new EnvelopeCodec().encode(Envelope.event(id, System.currentTimeMillis(), "application/json",
                service + ".dup", "{\"score\":1}".getBytes(StandardCharsets.UTF_8)));
        Message message = MessageBuilder.withBody(frame).setMessageId(id.toString())
                .setContentType("application/x-gwp").build();
        // stored EVENTs take no exchange of the consumer route (ConsumedEvents): count what the sinks wrote
        io.gamewire.sinks.SinkBatcher batcher = gw.bean("sinkBatcher", io.gamewire.sinks.SinkBatcher.class);
        long writtenBefore = batcher.events();

        RabbitTemplate template = new RabbitTemplate(gw.bean("connectionFactory", ConnectionFactory.class));
        template.send(gw.exchange, service + ".dup", message);
        template.send(gw.exchange, service + ".dup", message);

        await().atMost(Duration.ofSeconds(20)).alias("both deliveries written")
                .until(() -> batcher.events() >= writtenBefore + 2);
        assertThat(events().countById(id)).isEqualTo(1);
    }

    @Test
    void refusedRequestsAreAnsweredAndPublishNothing() throws Exception {
        ConnectionFactory connectionFactory = gw.bean("connectionFactory", ConnectionFactory.class);
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        Queue monitor = new Queue("gwtest" + gw.id + ".monitor", false, true, true);
        admin.declareQueue(monitor);
        admin.declareBinding(BindingBuilder.bind(monitor).to(new TopicExchange(gw.exchange)).with("#"));
        String service = gw.services.get(0);

        assertRefused(gw.post("/v1/events/" + service, "application/json", "{}"),
                400, "has 3 part(s); expected 4: title.env.service.command");
        assertRefused(gw.post("/v1/events/" + service + ".Bad", "application/json", "{}"),
                400, "command part 'Bad' has character 'B' at position 1");
        assertRefused(gw.post("/v1/events/" + service + "." + "x".repeat(33), "application/json", "{}"),
                400, "is 33 characters long, the limit is 32");
        assertRefused(gw.post("/v1/events/" + service + ".nosuch", "application/json", "{}"),
                404, "has no command 'nosuch'");
        assertRefused(gw.post("/v1/events/" + service + ".scored", "application/json", "{\"player\":\"ada\"}"),
                400, "payload lacks required field 'points'");
        assertRefused(gw.post("/v1/events/" + service + ".end", "application/json", "{\"score\":"),
                400, "invalid JSON");
        assertRefused(gw.post("/v1/events/" + service + ".end", "application/json", "{} {}"),
                400, "after the value at line 1");
        assertRefused(gw.post("/v1/events/" + service + ".end", "text/plain", "{}"),
                415, "content type 'text/plain' is not accepted");
        HttpResponse<String> tooLarge = gw.post("/v1/events/" + service + ".end", "application/json",
                "[\"" + "x".repeat(1_100_000) + "\"]");
        assertThat(tooLarge.statusCode()).isEqualTo(413);

        // a marker that is accepted: once it arrived, everything before it would have too
        assertThat(gw.post("/v1/events/" + service + ".marker", "application/json", "{}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getQueueInfo(monitor.getName()).getMessageCount() >= 1);
        assertThat(admin.getQueueInfo(monitor.getName()).getMessageCount()).isEqualTo(1);
        admin.deleteQueue(monitor.getName());
    }

    @Test
    void keysDecideWhoMayPublishAndRead() throws Exception {
        String prod = gw.services.get(1) + ".end";
        assertChallenged(gw.post("/v1/events/" + prod, "application/json", "{}", null), "no API key given");
        assertChallenged(gw.post("/v1/events/" + prod, "application/json", "{}", "wrong"), "unknown API key");
        assertRefused(gw.post("/v1/events/" + prod, "application/json", "{}", gw.devOnlyKey), 403,
                "key 'dev-only' may not use environment 'prod' (allowed: dev)");
        assertRefused(gw.post("/v1/events/other.prod.scores.end", "application/json", "{}"), 403,
                "key 'test-servers' belongs to title '" + gw.title + "', not 'other'");

        HttpResponse<String> posted = gw.post("/v1/events/" + prod, "application/json", "{}");
        String id = JSON.readTree(posted.body()).get("messageId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> gw.get("/v1/events/" + id).statusCode() == 200);
        HttpResponse<String> devKeyRead = gw.http().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + gw.httpPort + "/v1/events/" + id))
                .header("Authorization", "Bearer " + gw.devOnlyKey).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertRefused(devKeyRead, 403, "may not use environment 'prod'");
        assertThat(devKeyRead.headers().firstValue("WWW-Authenticate")).as("a 403 asks for no other key").isEmpty();
        assertChallenged(gw.http().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + gw.httpPort + "/v1/events/" + id)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()), "no API key given");
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfter() throws Exception {
        String key = gw.services.get(0) + ".end";
        HttpResponse<String> last = null;
        for (int i = 0; i < 3; i++) {
            last = gw.post("/v1/events/" + key, "application/json", "{}", gw.slowKey);
        }

        assertRefused(last, 429, "key 'slow' is over its rate limit of 2 events/s");
        assertThat(last.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void aBatchEventOverItsKeysRateLimitIsRefused429WithRetryAfterInItsResultAndTheOthersGoOn() throws Exception {
        String line = "{\"routingKey\": \"" + gw.services.get(0) + ".end\", \"payload\": {}}\n";

        // the slow key may send 2 events a second: of 4, at least the last 2 are over its limit
        HttpResponse<String> answer = gw.post("/v1/events", "application/x-ndjson", line.repeat(4), gw.slowKey);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Retry-After")).as("the batch as a whole is answered").isEmpty();
        JsonNode results = JSON.readTree(answer.body());
        JsonNode list = results.get("results");
        assertThat(list.findValuesAsText("status")).as(answer.body()).hasSize(4)
                .endsWith("429", "429").containsOnly("202", "429");
        assertThat(results.get("refused").asInt()).isEqualTo(list.findValuesAsText("status").stream()
                .filter("429"::equals).count());
        for (JsonNode result : list) {
            if (result.get("status").asInt() == 429) {
                assertThat(result.get("retryAfter").asInt()).as(result.toString()).isEqualTo(1);
                assertThat(result.get("message").asText()).contains("key 'slow' is over its rate limit of 2 events/s");
                assertThat(result.has("messageId")).as("a refused event was never published: no id to resend with")
                        .isFalse();
            } else {
                assertThat(result.has("retryAfter")).isFalse();
                UUID id = UUID.fromString(result.get("messageId").asText());
                await().atMost(Duration.ofSeconds(20)).until(() -> events().countById(id) == 1);
            }
        }
    }

    @Test
    void aBatchOfNdjsonLinesIsAnsweredPerEventAndABadLineLosesNoOther() throws Exception {
        String service = gw.services.get(1);
        String body = """
                {"routingKey": "%1$s.scored", "payload": {"player": "ada", "points": 3}}
                {"routingKey": "%1$s.scored", "payload": {"player": "bob"}}
                {"routingKey": "%1$s.scored", "payload": {"player": "cy", "points": tru}}
                {"routingKey": "other.prod.scores.end", "payload": {}}
                {"routingKey": "%1$s.end", "payload": [1, 2]}
                """.formatted(service);

        HttpResponse<String> answer = gw.post("/v1/events", "application/x-ndjson", body);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode results = JSON.readTree(answer.body());
        assertThat(results.get("accepted").asInt()).isEqualTo(2);
        assertThat(results.get("refused").asInt()).isEqualTo(3);
        JsonNode list = results.get("results");
        assertThat(list.findValuesAsText("status")).containsExactly("202", "400", "400", "403", "202");
        assertThat(list.get(1).get("message").asText()).contains("payload lacks required field 'points'");
        assertThat(list.get(2).get("message").asText()).startsWith("line 3: invalid JSON");
        for (int accepted : new int[] {0, 4}) {
            UUID id = UUID.fromString(list.get(accepted).get("messageId").asText());
            await().atMost(Duration.ofSeconds(20)).until(() -> events().countById(id) == 1);
        }
    }

    @Test
    void gwpBodiesKeepTheClientsMessageId() throws Exception {
        String key = gw.services.get(0) + ".end";
        EnvelopeCodec codec = new EnvelopeCodec();
        Envelope single = Envelope.event(MessageIds.next(), 1_700_000_000_000L, "application/json", key,
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        Envelope first = Envelope.event(MessageIds.next(), 1_700_000_000_001L, "application/json", key,
                "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
        Envelope second = Envelope.event(MessageIds.next(), 1_700_000_000_002L, "application/json", key,
                "{\"n\":3}".getBytes(StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        stream.write(codec.encode(first));
        stream.write(codec.encode(second));

        HttpResponse<String> one = postBytes("/v1/events/" + key, codec.encode(single));
        HttpResponse<String> batch = postBytes("/v1/events", stream.toByteArray());

        assertThat(one.statusCode()).as(one.body()).isEqualTo(202);
        assertThat(JSON.readTree(one.body()).get("messageId").asText()).isEqualTo(single.messageId().toString());
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        assertThat(JSON.readTree(batch.body()).get("results").findValuesAsText("messageId"))
                .containsExactly(first.messageId().toString(), second.messageId().toString());
        for (Envelope event : new Envelope[] {single, first, second}) {
            await().atMost(Duration.ofSeconds(20)).until(() -> events().countById(event.messageId()) == 1);
        }
    }

    @Test
    void aBatchWithoutAKnownKeyIsRefusedWhole() throws Exception {
        String line = "{\"routingKey\": \"" + gw.services.get(0) + ".end\", \"payload\": {}}\n";
        assertChallenged(gw.post("/v1/events", "application/x-ndjson", line, null), "no API key given");
        assertChallenged(gw.post("/v1/events", "application/x-ndjson", line, "wrong"), "unknown API key");
        assertRefused(gw.post("/v1/events", "text/plain", line), 415, "is not a batch");
    }

    private HttpResponse<String> postBytes(String path, byte[] body) throws Exception {
        return gw.http().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gw.httpPort + path))
                .header("Authorization", "Bearer " + gw.apiKey).header("Content-Type", "application/x-gwp")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEventIsWrittenToTheKvRecordAndCacheEntryItsTitleDeclaresAndQueriesReadIt() throws Exception {
        String player = "kv-" + gw.id;
        String key = gw.services.get(1) + ".scored";
        assertThat(gw.post("/v1/events/" + key, "application/json",
                "{\"player\":\"" + player + "\",\"points\":5,\"extra\":1}").statusCode()).isEqualTo(202);

        KvStore kv = gw.bean("kvStore", KvStore.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> kv.get("player:" + player).equals(Map.of("lastPoints", "5")));
        EventCache cache = gw.bean("eventCache", EventCache.class);
        assertThat(cache.get("score:" + player)).hasValueSatisfying(bytes -> assertThat(new String(bytes,
                StandardCharsets.UTF_8)).isEqualTo("{\"player\":\"" + player + "\",\"points\":5,\"extra\":1}"));

        // the players.get query reads the record player:<playerId> that scored events write
        HttpResponse<String> record = gw.get("/v1/query/" + gw.title + ".prod.players.get?playerId=" + player);
        assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
        assertThat(JSON.readTree(record.body()).get("lastPoints").asText()).isEqualTo("5");
    }

    @Test
    void anEventOfACommandWithoutEventsRowIsInItsOwnSinksAndReadBackOnlyWhileItsViewIsCached() throws Exception {
        String player = "seen-" + gw.id;
        HttpResponse<String> posted = gw.post("/v1/events/" + gw.services.get(1) + ".seen", "application/json",
                "{\"player\":\"" + player + "\",\"map\":\"Ascension\"}");
        assertThat(posted.statusCode()).isEqualTo(202);
        UUID id = UUID.fromString(JSON.readTree(posted.body()).get("messageId").asText());

        KvStore kv = gw.bean("kvStore", KvStore.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> kv.get("seen:" + player).equals(Map.of("map", "Ascension")));
        // the cached view is written right after the KV record
        await().atMost(Duration.ofSeconds(20)).until(() -> gw.get("/v1/events/" + id).statusCode() == 200);
        assertThat(events().countById(id)).as("event-row: false").isZero();
        HttpResponse<String> cached = gw.get("/v1/events/" + id);
        assertThat(JSON.readTree(cached.body()).at("/payload/map").asText()).isEqualTo("Ascension");

        gw.bean("eventCache", EventCache.class).invalidate(EventView.cacheKey(id)); // as its TTL would
        assertRefused(gw.get("/v1/events/" + id), 404, "event-row: false");
    }

    @Test
    void anEventIsUpsertedIntoItsTitleTableAndAnOlderOneNeverOverwritesANewerRow() throws Exception {
        String player = "sql-" + gw.id;
        String key = gw.services.get(1) + ".scored";
        String line = "{\"routingKey\": \"" + key + "\", \"payload\": {\"player\": \"" + player
                + "\", \"points\": %d}, \"timestamp\": %d}\n";

        UUID first = accepted(gw.post("/v1/events", "application/x-ndjson", line.formatted(9, 2000)));
        await().atMost(Duration.ofSeconds(20)).until(() -> points(player) == 9);
        UUID older = accepted(gw.post("/v1/events", "application/x-ndjson", line.formatted(3, 1000)));
        UUID newer = accepted(gw.post("/v1/events", "application/x-ndjson", line.formatted(4, 3000)));

        // all three consumed (in whatever order): the newest wins, the older one changed nothing
        for (UUID id : new UUID[] {first, older, newer}) {
            await().atMost(Duration.ofSeconds(20)).until(() -> events().countById(id) == 1);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> points(player) == 4);
        assertThat(points(player)).isEqualTo(4);
    }

    @Test
    void aQueryAnswersTheTableRowAnEventWroteAndCachesTheAnswer() throws Exception {
        String player = "row-" + gw.id;
        assertThat(gw.post("/v1/events/" + gw.services.get(1) + ".scored", "application/json",
                "{\"player\":\"" + player + "\",\"points\":7}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> points(player) == 7);

        // players.score reads the row of <title>_scores by player: cache miss, then SQL, typed as declared
        HttpResponse<String> row = gw.get("/v1/query/" + gw.title + ".prod.players.score?player=" + player);
        assertThat(row.statusCode()).as(row.body()).isEqualTo(200);
        assertThat(row.body()).isEqualTo("{\"player\":\"" + player + "\",\"points\":7}");
        assertThat(gw.bean("eventCache", EventCache.class).get("score-view:" + player)).hasValueSatisfying(
                bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(row.body()));

        HttpResponse<String> missing = gw.get("/v1/query/" + gw.title + ".prod.players.score?player=nobody");
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
        assertThat(missing.body()).contains("no row in " + gw.title + "_scores where player = 'nobody'");
    }

    /** The message id of the one event of an accepted batch. */
    private static UUID accepted(HttpResponse<String> batch) throws Exception {
        JsonNode results = JSON.readTree(batch.body()).get("results");
        assertThat(results.get(0).get("status").asInt()).as(batch.body()).isEqualTo(202);
        return UUID.fromString(results.get(0).get("messageId").asText());
    }

    /** The points column of the player's row in this run's title table, or -1 without a row. */
    private static long points(String player) throws Exception {
        try (java.sql.Connection connection = gw.bean("dataSource", javax.sql.DataSource.class).getConnection();
             java.sql.PreparedStatement select = connection.prepareStatement(
                     "SELECT points FROM " + gw.title + "_scores WHERE player = ?")) {
            select.setString(1, player);
            try (java.sql.ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }

    @Test
    void unknownIdIs404AndMalformedIdIs400() throws Exception {
        assertRefused(gw.get("/v1/events/" + MessageIds.next()), 404, "no event with message id");
        assertRefused(gw.get("/v1/events/not-an-id"), 400, "message id 'not-an-id' is not a 36-character UUID");
    }

    @Test
    void healthIsUpWhileEveryBackendAnswers() throws Exception {
        HttpResponse<String> health = gw.get("/observe/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
    }

    /** A 401 that asks for a bearer key (RFC 6750). */
    private static void assertChallenged(HttpResponse<String> response, String messagePart) throws Exception {
        assertRefused(response, 401, messagePart);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"gamewire\"");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String messagePart) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("message").asText()).contains(messagePart);
    }
}
