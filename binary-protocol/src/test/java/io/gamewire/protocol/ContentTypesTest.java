package io.gamewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a content type says of its payload: JSON, text, or neither. */
class ContentTypesTest {

    @Test
    void jsonIsApplicationJsonOrAPlusJsonTypeWhateverTheCaseAndParameters() {
        for (String json : new String[] {"application/json", "application/json; charset=utf-8", "Application/JSON",
                "application/vnd.api+json", "application/problem+json ; q=1"}) {
            assertThat(ContentTypes.isJson(json)).as(json).isTrue();
            assertThat(ContentTypes.isText(json)).as(json).isTrue();
        }
        for (String other : new String[] {"application/jsonl", "text/json", "application/octet-stream", "", "+json"}) {
            assertThat(ContentTypes.isJson(other)).as(other).isFalse();
        }
        assertThat(ContentTypes.isJson(null)).isFalse();
    }

    @Test
    void textIsJsonOrATextType() {
        assertThat(ContentTypes.isText("text/plain; charset=utf-8")).isTrue();
        assertThat(ContentTypes.isText("TEXT/CSV")).isTrue();
        assertThat(ContentTypes.isText("application/octet-stream")).isFalse();
        assertThat(ContentTypes.isText("application/msgpack")).isFalse();
        assertThat(ContentTypes.isText(null)).isFalse();
    }
}
