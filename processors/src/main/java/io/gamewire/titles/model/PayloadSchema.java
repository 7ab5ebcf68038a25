package io.gamewire.titles.model;

import java.util.List;
import java.util.Map;

/**
 * The fields a command's JSON payload must or may have, checked at ingest. Fields not listed are
 * allowed (payloads gain fields before schemas do).
 */
public record PayloadSchema(List<String> required, Map<String, FieldType> fields) {

    /** JSON types a field may be declared with. */
    public enum FieldType {
        STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
