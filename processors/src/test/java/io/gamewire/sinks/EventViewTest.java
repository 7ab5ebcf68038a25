package io.gamewire.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.sql.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventViewTest {

    private final ObjectMapper json = new ObjectMapper();

    private static StoredEvent event(String contentType, String payload) {
        return new StoredEvent(MessageIds.next(), RoutingKey.parse("t.prod.stats.end"), contentType,
                payload.getBytes(StandardCharsets.UTF_8), 1_000, 2_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/vnd.halo+json"})
    void aJsonPayloadParsedAlreadyIsEmbeddedAsTheViewMadeAnewEmbedsIt(String contentType) throws Exception {
        StoredEvent event = event(contentType, "{ \"map\" : \"Blood Gulch\", \"kills\": 3 }");

        byte[] fromParsed = EventView.toJson(json, event, json.readTree(event.payload()));

        assertThat(fromParsed).isEqualTo(EventView.toJson(json, event));
        assertThat(json.readTree(fromParsed).get("payload").get("map").asText()).isEqualTo("Blood Gulch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8"})
    void theTreeGivenIsTheOneEmbeddedNotTheBytesParsedAgain(String contentType) throws Exception {
        StoredEvent event = event(contentType, "{\"map\":\"from the bytes\"}");

        byte[] view = EventView.toJson(json, event, json.readTree("{\"map\":\"from the tree\"}"));

        assertThat(json.readTree(view).get("payload").get("map").asText()).isEqualTo("from the tree");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/octet-stream", "text/plain"})
    void aPayloadWhoseContentTypeIsNotJsonStaysBase64EvenWhenTheSinksParsedIt(String contentType) throws Exception {
        // the sinks parse every payload they store; the view follows the content type, as GET /v1/events/{id} does
        StoredEvent event = event(contentType, "{\"map\":\"x\"}");

        byte[] fromParsed = EventView.toJson(json, event, json.readTree(event.payload()));

        assertThat(fromParsed).isEqualTo(EventView.toJson(json, event));
        assertThat(json.readTree(fromParsed).get("payload").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(event.payload()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/octet-stream", "text/plain"})
    void aViewGivesBackTheEventItWasMadeOfWithItsSourceAndNoOtherAttribute(String contentType) {
        StoredEvent event = new StoredEvent(MessageIds.next(), RoutingKey.parse("t.prod.stats.end"), contentType,
                "{\"map\":\"x\"}".getBytes(StandardCharsets.UTF_8), 1_000, 2_000,
                java.util.Map.of("gw-source", "tcp", "region", "eu"));

        StoredEvent back = EventView.fromJson(json, EventView.toJson(json, event));

        assertThat(back.messageId()).isEqualTo(event.messageId());
        assertThat(back.routingKey()).isEqualTo(event.routingKey());
        assertThat(back.contentType()).isEqualTo(contentType);
        assertThat(back.payload()).isEqualTo(event.payload());
        assertThat(back.eventTimeMs()).isEqualTo(1_000);
        assertThat(back.receivedAtMs()).isEqualTo(2_000);
        assertThat(back.attributes()).as("the view keeps only gw-source").containsExactly(java.util.Map.entry("gw-source", "tcp"));
    }

    @org.junit.jupiter.api.Test
    void aViewThatIsNotOneIsRefusedNamingWhatIsWrong() {
        String whole = "{\"messageId\":\"01a249af-1d96-7dd4-a4cc-ccfa32aa1d25\",\"routingKey\":\"t.prod.stats.end\","
                + "\"contentType\":\"text/plain\",\"payload\":\"eA==\",\"eventTime\":\"1970-01-01T00:00:01Z\","
                + "\"receivedAt\":\"1970-01-01T00:00:02Z\"}";
        assertThat(EventView.fromJson(json, whole.getBytes(StandardCharsets.UTF_8)).payload()).containsExactly('x');
        assertRefused("[1]", "a cached event view has no contentType");
        assertRefused(whole.replace("\"messageId\"", "\"id\""), "a cached event view has no messageId");
        assertRefused(whole.replace("\"payload\"", "\"body\""), "a cached event view has no payload");
        assertRefused(whole.replace("1970-01-01T00:00:01Z", "soon"), "a cached event view has a malformed time: soon");
        assertRefused("{\"messageId\"", "a cached event view is not JSON: ");
    }

    private void assertRefused(String view, String reason) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventView.fromJson(json,
                        view.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(reason);
    }
}
