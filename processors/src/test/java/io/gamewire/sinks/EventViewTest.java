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
}
