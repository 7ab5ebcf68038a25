package io.gamewire.ingest;

import io.gamewire.testsupport.TestRegistries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventAdmissionTest {

    private static final String KEY = ApiKeyRing.sha256(TestTitles.SERVERS_KEY);

    private EventAdmission admission;

    @BeforeEach
    void titles(@TempDir Path dir) throws Exception {
        admission = new EventAdmission(TestTitles.registry(dir), new KeyRateLimits(() -> 0L),
                new JsonPayloads(new ObjectMapper()));
    }

    private EventAdmission.Admitted publish(String key, String routingKey, String contentType, String payload) {
        return admission.admit(key, routingKey, Access.PUBLISH, contentType,
                ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    @Test
    void admitsAnEventOfItsKeysTitleAndEnvironment() {
        EventAdmission.Admitted admitted = publish(KEY, "halo.prod.stats.scored", "application/json",
                "{\"player\":\"ada\",\"points\":3}");

        assertThat(admitted.routingKey().toString()).isEqualTo("halo.prod.stats.scored");
        assertThat(admitted.decision().keyName()).isEqualTo("servers");
        assertThat(admitted.command().schema().required()).containsExactly("player", "points");
    }

    @Test
    void aCommandThatDoesNotReadItsPayloadTakesAnyBytes() {
        assertThat(publish(KEY, "halo.prod.stats.end", "application/octet-stream", "\u0001\u0002")).isNotNull();
        assertThat(publish(KEY, "halo.prod.stats.end", "application/vnd.halo+json", "[1,2]")).isNotNull();
    }

    @Test
    void refusalsNameTheProblem() {
        assertRefused(() -> publish(KEY, "halo.prod.stats", "application/json", "{}"), Refusal.INVALID_ROUTING_KEY,
                "has 3 part(s)");
        assertRefused(() -> publish(null, "halo.prod.stats.end", "application/json", "{}"), Refusal.UNKNOWN_KEY,
                "no API key given");
        assertRefused(() -> publish(ApiKeyRing.sha256("guess"), "halo.prod.stats.end", "application/json", "{}"),
                Refusal.UNKNOWN_KEY, "unknown API key");
        assertRefused(() -> publish(KEY, "kart.prod.laps.end", "application/json", "{}"), Refusal.NOT_ALLOWED,
                "key 'servers' belongs to title 'halo', not 'kart'");
        assertRefused(() -> publish(KEY, "halo.staging.stats.end", "application/json", "{}"), Refusal.NOT_ALLOWED,
                "key 'servers' may not use environment 'staging' (allowed: prod)");
        assertRefused(() -> publish(ApiKeyRing.sha256(TestTitles.STAGING_KEY), "halo.prod.stats.end",
                "application/json", "{}"), Refusal.NOT_ALLOWED, "may not use environment 'prod'");
        assertRefused(() -> publish(KEY, "halo.prod.stats.nope", "application/json", "{}"), Refusal.UNKNOWN_SERVICE,
                "service 'halo.prod.stats' has no command 'nope'");
        assertRefused(() -> publish(KEY, "halo.prod.stats.scored", "application/json", "{\"player\":\"ada\"}"),
                Refusal.INVALID_EVENT, "payload lacks required field 'points' (schema of halo.prod.stats.scored)");
        assertRefused(() -> publish(KEY, "halo.prod.stats.scored", "application/json",
                "{\"player\":\"ada\",\"points\":\"9\"}"), Refusal.INVALID_EVENT,
                "payload field 'points' must be integer, is a string");
        assertRefused(() -> publish(KEY, "halo.prod.stats.scored", "text/csv", "a,b"),
                Refusal.UNSUPPORTED_CONTENT_TYPE, "content type 'text/csv' is not accepted");
        assertRefused(() -> publish(KEY, "halo.prod.stats.end", "application/json", ""), Refusal.INVALID_EVENT,
                "payload is empty");
        assertRefused(() -> publish(KEY, "halo.prod.stats.end", "application/json", "  "), Refusal.INVALID_EVENT,
                "payload is blank");
        assertRefused(() -> publish(KEY, "halo.prod.stats.end", "application/json", "{}\n[]"), Refusal.INVALID_EVENT,
                "at line 2, column 2");
    }

    @Test
    void aQueryNeedsQueryAccess() {
        String stagingKey = ApiKeyRing.sha256(TestTitles.STAGING_KEY);
        assertRefused(() -> admission.admit(stagingKey, "halo.staging.players.get", Access.QUERY, "application/json",
                ByteBuffer.wrap("{\"playerId\":\"p\"}".getBytes(StandardCharsets.UTF_8))), Refusal.NOT_ALLOWED,
                "key 'staging-only' may not query");
    }

    @Test
    void overItsRateLimitAKeyIsRefusedWithRetryAfter() {
        for (int i = 0; i < 1000; i++) {
            publish(KEY, "halo.prod.stats.end", "application/json", "{}");
        }
        assertThatThrownBy(() -> publish(KEY, "halo.prod.stats.end", "application/json", "{}"))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.RATE_LIMITED);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                })
                .hasMessage("key 'servers' is over its rate limit of 1000 events/s (title file halo.yaml); retry after 1 s");
    }

    @Test
    void beforeTheTitlesAreLoadedEverythingIsRefusedAsNotReadyToBeResentNotAsUnknown(@TempDir Path empty) {
        TitleRegistry loading = TestRegistries.applyingNothing(empty);
        EventAdmission starting = new EventAdmission(loading, new KeyRateLimits(() -> 0L),
                new JsonPayloads(new ObjectMapper()));

        assertThatThrownBy(() -> starting.admit(KEY, "halo.prod.stats.end", Access.PUBLISH, "application/json",
                ByteBuffer.wrap(new byte[] {'{', '}'})))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.NOT_READY);
                    assertThat(e.refusal().httpStatus()).isEqualTo(503);
                    assertThat(e.retryAfterSeconds()).isPositive();
                })
                .hasMessageContaining("title files are still being loaded");
    }

    private static void assertRefused(Runnable call, Refusal refusal, String messagePart) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(refusal))
                .hasMessageContaining(messagePart);
    }
}
