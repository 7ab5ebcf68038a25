package io.gamewire.sinks.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code events.attributes} column: an envelope's attributes as a JSON object of strings, keys
 * sorted so that equal attributes are equal text.
 */
final class AttributesColumn {

    // The storage layer may not use config.SharedJson; a map of strings needs none of its settings.
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    private AttributesColumn() {
    }

    static String write(Map<String, String> attributes) {
        try {
            return PLAIN.writeValueAsString(new TreeMap<>(attributes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /** The attributes; empty for NULL (an event stored before the column existed). */
    static Map<String, String> read(String column) {
        if (column == null || column.isEmpty()) {
            return Map.of();
        }
        try {
            return PLAIN.readValue(column, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("events.attributes holds no JSON object of strings: " + column, e);
        }
    }
}
