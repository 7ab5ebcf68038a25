package io.gamewire.admin.data;

import io.gamewire.testsupport.TestRegistries;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw KV records and cache entries as the admin API shows them, by the key templates their key matches. */
class StoredRecordRedactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARENA = """
            title: arena
            environments: [prod]
            services:
              accounts:
                commands:
                  registered:
                    schema:
                      required: [player]
                      fields: {player: string, email: {type: string, redact: true}}
                    sql:
                      table: arena_regs
                      key: [player]
                      columns:
                        player: {type: varchar(64), from: $.player}
                        email: {type: varchar(128), from: $.email}
                    kv:
                      key: "registration:{payload.player}"
                      fields: {email: $.email, player: $.player}
                    cache:
                      key: "registration:{payload.player}"
                      ttl: 10m
                  scored:
                    kv:
                      key: "player:{payload.player}"
                      fields: {lastPoints: $.points}
                    cache:
                      key: "score:{payload.player}"
                      ttl: 10m
                  lookup:
                    schema:
                      required: [player]
                      fields: {player: string}
                    query:
                      cache: {key: "reg-view:{payload.player}", ttl: 1m}
                      sql: {table: arena_regs, key: {player: $.player}}
            """;

    @TempDir
    Path dir;

    private StoredRecordRedaction records(String yaml) throws Exception {
        Files.writeString(dir.resolve("arena.yaml"), yaml);
        TitleRegistry titles = TestRegistries.applyingNothing(dir);
        assertThat(titles.reload().problems()).isEmpty();
        return new StoredRecordRedaction(JSON, titles, new PayloadRedaction(titles));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aKvFieldASinkTakesFromARedactedFieldIsMaskedAndAFieldNoSinkWritesToo() throws Exception {
        JsonNode record = records(ARENA).kvRecord("registration:dee",
                Map.of("email", "dee@example.org", "player", "dee", "addedByARoute", "x"));

        assertThat(record.path("fields")).isEqualTo(JSON.readTree(
                "{\"addedByARoute\": \"***\", \"email\": \"***\", \"player\": \"dee\"}"));
        assertThat(record.path("writtenBy").get(0).asText())
                .isEqualTo("arena.accounts.registered kv registration:{payload.player}");
    }

    @Test
    void aKvRecordOfACommandThatRedactsNothingIsShownAsItIs() throws Exception {
        assertThat(records(ARENA).kvRecord("player:ann", Map.of("lastPoints", "3")).path("fields").path("lastPoints")
                .asText()).isEqualTo("3");
    }

    @Test
    void aKeyNoTemplateMatchesIsMaskedWhenAnyTitleRedactsAndShownWhenNoneDoes() throws Exception {
        assertThat(records(ARENA).kvRecord("leaderboard:blood-gulch", Map.of("top", "ada")).path("fields").path("top")
                .asText()).isEqualTo("***");
        assertThat(records(ARENA).cacheEntry("something:else", bytes("{\"a\": 1}")).path("value").asText())
                .isEqualTo("***");

        StoredRecordRedaction nothingRedacted = records(ARENA.replace("redact: true", "redact: false"));
        assertThat(nothingRedacted.kvRecord("leaderboard:blood-gulch", Map.of("top", "ada")).path("fields").path("top")
                .asText()).isEqualTo("ada");
        assertThat(nothingRedacted.cacheEntry("something:else", bytes("{\"a\": 1}")).path("value").path("a").asInt())
                .isEqualTo(1);
    }

    @Test
    void gamewiresOwnPullStateIsShownAsItIs() throws Exception {
        assertThat(records(ARENA).kvRecord("gw-pull:arena:races", Map.of("watermark", "42")).path("fields")
                .path("watermark").asText()).isEqualTo("42");
    }

    @Test
    void aCachedPayloadIsRedactedByItsCommandsSchemaAndMaskedWholeWhenItIsNotJson() throws Exception {
        StoredRecordRedaction records = records(ARENA);
        byte[] cached = bytes("{\"player\": \"dee\", \"email\": \"dee@example.org\"}");
        JsonNode entry = records.cacheEntry("registration:dee", cached);
        assertThat(entry.path("value")).isEqualTo(JSON.readTree("{\"player\": \"dee\", \"email\": \"***\"}"));
        assertThat(entry.path("encoding").asText()).isEqualTo("json");
        assertThat(entry.path("bytes").asInt()).isEqualTo(cached.length);

        assertThat(records.cacheEntry("registration:dee", new byte[] {(byte) 0xff, 1}).path("value").asText())
                .isEqualTo("***");
        assertThat(records.cacheEntry("score:ann", new byte[] {(byte) 0xff, 1}).path("value").asText()).isEqualTo("/wE=");
    }

    @Test
    void anEventViewIsRedactedByItsRoutingKey() throws Exception {
        JsonNode entry = records(ARENA).cacheEntry("event:0193a8f2-0000-7000-8000-000000000001", bytes(
                "{\"routingKey\": \"arena.prod.accounts.registered\", \"payload\": {\"email\": \"dee@example.org\"}}"));
        assertThat(entry.path("value").path("payload").path("email").asText()).isEqualTo("***");
        assertThat(entry.path("value").path("routingKey").asText()).isEqualTo("arena.prod.accounts.registered");
    }

    @Test
    void aQuerysCachedAnswerLosesTheRedactedColumnsOfItsTable() throws Exception {
        JsonNode entry = records(ARENA).cacheEntry("reg-view:dee", bytes(
                "{\"player\": \"dee\", \"email\": \"dee@example.org\", \"unknown\": 1}"));
        assertThat(entry.path("value")).isEqualTo(JSON.readTree(
                "{\"player\": \"dee\", \"email\": \"***\", \"unknown\": \"***\"}"));
        assertThat(entry.path("writtenBy").get(0).asText())
                .isEqualTo("arena.accounts.lookup query cache reg-view:{payload.player}");
    }
}
