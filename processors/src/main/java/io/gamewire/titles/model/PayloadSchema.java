package io.gamewire.titles.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a command's JSON payload must or may have, checked at ingest. Fields not listed are
 * allowed (payloads gain fields before schemas do). {@code redacted} are the declared fields marked
 * {@code redact: true}: the operator's views (the live tail, the event and compare views) show
 * their values as {@code "***"} ({@code io.gamewire.titles.PayloadRedaction}).
 */
public record PayloadSchema(List<String> required, Map<String, FieldType> fields, Set<String> redacted) {

    public PayloadSchema {
        redacted = Set.copyOf(redacted);
    }

    /** A schema with no redacted field. */
    public PayloadSchema(List<String> required, Map<String, FieldType> fields) {
        this(required, fields, Set.of());
    }

    /** JSON types a field may be declared with. */
    public enum FieldType {
        STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
