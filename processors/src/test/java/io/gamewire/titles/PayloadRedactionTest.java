package io.gamewire.titles;

import io.gamewire.testsupport.TestRegistries;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadRedactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PayloadRedaction redaction;

    @BeforeEach
    void loadTitle() throws Exception {
        Files.writeString(dir.resolve("arena.yaml"), """
                title: arena
                environments: [prod]
                services:
                  accounts:
                    commands:
                      signup:
                        schema:
                          required: [player]
                          fields:
                            player: string
                            email: {type: string, redact: true}
                            card: {type: object, redact: true}
                            nickname: {type: string, redact: false}
                      open: {}
                """);
        TitleRegistry titles = TestRegistries.applyingNothing(dir);
        assertThat(titles.reload().problems()).isEmpty();
        redaction = new PayloadRedaction(titles);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void markedFieldsShowStarsWhateverTheirTypeAndTheRestIsUntouched() throws Exception {
        JsonNode payload = json("""
                {"player": "ada", "email": "ada@example.org", "card": {"number": "4111", "cvc": 123},
                 "nickname": "A", "extra": [1, 2]}""");
        JsonNode shown = redaction.redact("arena.prod.accounts.signup", payload);
        assertThat(shown).isEqualTo(json("""
                {"player": "ada", "email": "***", "card": "***", "nickname": "A", "extra": [1, 2]}"""));
        // the caller's payload is not changed
        assertThat(payload.get("email").asText()).isEqualTo("ada@example.org");
    }

    @Test
    void absentOrNullMarkedFieldsStayAbsentOrNull() throws Exception {
        assertThat(redaction.redact("arena.prod.accounts.signup", json("{\"player\": \"ada\", \"card\": null}")))
                .isEqualTo(json("{\"player\": \"ada\", \"card\": null}"));
    }

    @Test
    void aCommandWithoutSchemaIsShownAsItIs() throws Exception {
        JsonNode payload = json("{\"email\": \"ada@example.org\"}");
        assertThat(redaction.redact("arena.prod.accounts.open", payload)).isEqualTo(payload);
    }

    @Test
    void whatNoTitleInForceDescribesIsMaskedWhole() throws Exception {
        JsonNode payload = json("{\"player\": \"ada\"}");
        assertThat(redaction.redact("gone.prod.accounts.signup", payload).asText()).isEqualTo(PayloadRedaction.MASK);
        assertThat(redaction.redact("arena.prod.accounts.nothing", payload).asText()).isEqualTo(PayloadRedaction.MASK);
        assertThat(redaction.redact("not-a-routing-key", payload).asText()).isEqualTo(PayloadRedaction.MASK);
    }

    @Test
    void aPayloadThatIsNoObjectIsMaskedWholeWhenItsCommandMarksFields() throws Exception {
        assertThat(redaction.redact("arena.prod.accounts.signup", json("[{\"email\": \"ada@example.org\"}]")).asText())
                .isEqualTo(PayloadRedaction.MASK);
        assertThat(redaction.redact("arena.prod.accounts.signup", json("\"ada@example.org\"")).asText())
                .isEqualTo(PayloadRedaction.MASK);
    }
}
