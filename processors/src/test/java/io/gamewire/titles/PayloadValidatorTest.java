package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.gamewire.titles.model.PayloadSchema;
import io.gamewire.titles.model.PayloadSchema.FieldType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadValidatorTest {

    private static final PayloadSchema SCHEMA;

    static {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("player", FieldType.STRING);
        fields.put("points", FieldType.INTEGER);
        fields.put("accuracy", FieldType.NUMBER);
        fields.put("won", FieldType.BOOLEAN);
        fields.put("stats", FieldType.OBJECT);
        fields.put("tags", FieldType.ARRAY);
        SCHEMA = new PayloadSchema(List.of("player", "points"), fields);
    }

    private static void check(String json) throws Exception {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            PayloadValidator.check(SCHEMA, parser);
        }
    }

    @Test
    void everyDeclaredTypeIsAcceptedAndUndeclaredFieldsAreSkippedWhole() {
        assertThatCode(() -> check("""
                {"player": "ada", "points": 3, "accuracy": 1, "won": false, "stats": {"a": [1, {"b": 2}]},
                 "tags": ["x"], "extra": {"deep": [[{"points": "not checked"}]]}, "stats2": null}
                """)).doesNotThrowAnyException();
        assertThatCode(() -> check("{\"player\": \"ada\", \"points\": 3, \"accuracy\": 0.5, \"won\": null}"))
                .doesNotThrowAnyException();
    }

    @Test
    void aRequiredFieldThatIsNullIsMissingAndIsNamedBeforeAWrongType() {
        assertThatThrownBy(() -> check("{\"player\": null, \"points\": \"x\"}"))
                .hasMessage("payload lacks required field 'player'");
    }

    @Test
    void wrongTypesAreNamed() {
        assertThatThrownBy(() -> check("{\"player\": \"a\", \"points\": 1.5}"))
                .hasMessage("payload field 'points' must be integer, is a number");
        assertThatThrownBy(() -> check("{\"player\": \"a\", \"points\": 1, \"stats\": []}"))
                .hasMessage("payload field 'stats' must be object, is an array");
        assertThatThrownBy(() -> check("{\"player\": \"a\", \"points\": 1, \"won\": \"yes\"}"))
                .hasMessage("payload field 'won' must be boolean, is a string");
        assertThatThrownBy(() -> check("[1]")).hasMessage("payload must be a JSON object, is an array");
    }
}
