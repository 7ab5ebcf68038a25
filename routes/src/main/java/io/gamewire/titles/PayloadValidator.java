package io.gamewire.titles;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.titles.model.PayloadSchema;
import io.gamewire.titles.model.PayloadSchema.FieldType;
import java.util.Map;

/** Checks a JSON payload against a command's schema; the refusal names the field and the rule. */
public final class PayloadValidator {

    private PayloadValidator() {
    }

    /** A payload that breaks its command's schema. */
    public static class InvalidPayloadException extends RuntimeException {
        public InvalidPayloadException(String message) {
            super(message);
        }
    }

    public static void check(PayloadSchema schema, JsonNode payload) {
        if (schema == null) {
            return;
        }
        if (!payload.isObject()) {
            throw new InvalidPayloadException("payload must be a JSON object, is " + kind(payload));
        }
        for (String field : schema.required()) {
            JsonNode value = payload.get(field);
            if (value == null || value.isNull()) {
                throw new InvalidPayloadException("payload lacks required field '" + field + "'");
            }
        }
        for (Map.Entry<String, FieldType> field : schema.fields().entrySet()) {
            JsonNode value = payload.get(field.getKey());
            if (value != null && !value.isNull() && !matches(field.getValue(), value)) {
                throw new InvalidPayloadException("payload field '" + field.getKey() + "' must be "
                        + field.getValue().yamlName() + ", is " + kind(value));
            }
        }
    }

    private static boolean matches(FieldType type, JsonNode value) {
        return switch (type) {
            case STRING -> value.isTextual();
            case INTEGER -> value.isIntegralNumber();
            case NUMBER -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
            case OBJECT -> value.isObject();
            case ARRAY -> value.isArray();
        };
    }

    private static String kind(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isIntegralNumber()) {
            return "an integer";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        return "null";
    }
}
