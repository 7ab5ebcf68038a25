package io.gamewire.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One rule for a payload in a JSON document: JSON embedded, text as text, anything else base64. */
class PayloadJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aJsonPayloadIsEmbeddedWhereverItIsShown() {
        for (String type : new String[] {"application/json", "Application/JSON; charset=utf-8", "application/vnd.x+json"}) {
            assertThat(PayloadJson.shown(JSON, utf8("{\"kills\":3}"), type).path("kills").asInt()).as(type).isEqualTo(3);
            assertThat(PayloadJson.served(JSON, utf8("{\"kills\":3}"), type).path("kills").asInt()).as(type).isEqualTo(3);
        }
    }

    @Test
    void operatorsSeeTextAsTextAndBytesAsBase64() {
        assertThat(PayloadJson.shown(JSON, utf8("match over"), "text/plain; charset=utf-8").asText()).isEqualTo("match over");
        assertThat(PayloadJson.shown(JSON, utf8("not {json"), "application/json").asText()).isEqualTo("not {json");
        assertThat(PayloadJson.shown(JSON, new byte[] {1, 2, (byte) 0xff}, "application/octet-stream").asText())
                .isEqualTo("AQL/");
    }

    @Test
    void theHttpApiServesEveryPayloadThatIsNotJsonAsBase64() {
        assertThat(PayloadJson.served(JSON, utf8("match over"), "text/plain").asText()).isEqualTo("bWF0Y2ggb3Zlcg==");
        assertThat(PayloadJson.served(JSON, new byte[] {1, 2, (byte) 0xff}, "application/octet-stream").asText())
                .isEqualTo("AQL/");
        assertThat(PayloadJson.parsed(JSON, utf8("{}"), "application/jsonl")).isEmpty();
    }

    @Test
    void whatWasServedGivesThePayloadBack() throws Exception {
        byte[] binary = {1, 2, (byte) 0xff};
        assertThat(PayloadJson.fromServed(JSON, PayloadJson.served(JSON, binary, "application/octet-stream"),
                "application/octet-stream")).isEqualTo(binary);
        assertThat(PayloadJson.fromServed(JSON, PayloadJson.served(JSON, utf8("match over"), "text/plain"),
                "text/plain")).isEqualTo(utf8("match over"));
        // JSON comes back as its content: the spacing is not kept
        assertThat(PayloadJson.fromServed(JSON, PayloadJson.served(JSON, utf8("{ \"kills\" : 3 }"), "application/json"),
                "application/json")).isEqualTo(utf8("{\"kills\":3}"));
        for (String string : new String[] {"\"gg\"", "\"done\"", "\"e30=\""}) {
            assertThat(PayloadJson.fromServed(JSON, PayloadJson.served(JSON, utf8(string), "application/json"),
                    "application/json")).as("the JSON string %s, though it reads as base64 too", string)
                    .isEqualTo(utf8(string));
        }
        // served as the base64 text, which cannot be told from a JSON string: it comes back as that string
        assertThat(PayloadJson.fromServed(JSON, PayloadJson.served(JSON, utf8("not {json"), "application/json"),
                "application/json")).isEqualTo(utf8("\"bm90IHtqc29u\""));
    }

    @Test
    void aServedPayloadThatIsNotBase64IsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PayloadJson.fromServed(JSON,
                com.fasterxml.jackson.databind.node.TextNode.valueOf("not base64!"), "application/octet-stream"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
