package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.MessageIds;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A message id names one event, on both stacks: a resend with the same id (the {@code Gw-Message-Id}
 * header) is stored once, and another event sent under a stored id is written to no sink, so the
 * events row, the title table, the KV record, the cache and {@code GET /v1/events/{id}} all hold
 * the first.
 */
class MessageIdIT {

    private static GamewireUnderTest gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private HttpResponse<String> send(String routingKey, UUID id, String body) throws Exception {
        return gw.post("/v1/events/" + routingKey, "application/json", body, gw.apiKey,
                Map.of("Gw-Message-Id", id.toString()));
    }

    private static double dropped(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("gamewire_sink_resends_dropped_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aResendIsStoredOnceAndAnotherEventUnderAStoredIdIsStoredNowhere() throws Exception {
        String scored = gw.services.get(0) + ".scored";
        String table = gw.title + "_scores";
        UUID id = MessageIds.next();
        String first = "{\"player\":\"ada\",\"points\":1}";

        HttpResponse<String> accepted = send(scored, id, first);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.body()).contains(id.toString());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> gw.count("SELECT COUNT(*) FROM " + table + " WHERE gw_message_id = '" + id + "'") == 1);

        // the same event again (a client that saw no answer), then another under its id
        assertThat(send(scored, id, first).statusCode()).isEqualTo(202);
        assertThat(send(scored, id, "{\"player\":\"bob\",\"points\":2}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> dropped(gw.get("/observe/metrics").body()) == 1.0);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> gw.count("SELECT resends FROM events WHERE message_id = '" + id + "'") == 2);

        assertThat(gw.count("SELECT COUNT(*) FROM events WHERE message_id = '" + id + "'")).isEqualTo(1);
        assertThat(gw.count("SELECT COUNT(*) FROM " + table + " WHERE gw_message_id = '" + id + "'")).isEqualTo(1);
        assertThat(gw.count("SELECT COUNT(*) FROM " + table + " WHERE player = 'bob'")).isZero();
        assertThat(gw.count("SELECT points FROM " + table + " WHERE player = 'ada'")).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> stored = gw.get("/v1/events/" + id);
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(stored.body()).contains("ada").doesNotContain("bob");
        }
    }

    @Test
    void aMessageIdHeaderThatIsNotAUuidIsRefusedNamingTheHeader() throws Exception {
        HttpResponse<String> refused = gw.post("/v1/events/" + gw.services.get(0) + ".match_end", "application/json",
                "{}", gw.apiKey, Map.of("Gw-Message-Id", "42"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("header Gw-Message-Id: message id '42' is not a 36-character UUID");
    }
}
