package io.gamewire.titles;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gamewire.titles.model.PayloadSchema;
import io.gamewire.titles.model.PayloadSchema.FieldType;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a JSON payload against a command's schema as it is parsed, without building a tree (every
 * event passes here, so it should cost little); the refusal names the field and the rule. Fields the
 * schema does not declare are skipped, not read.
 */
public final class PayloadValidator {

    private PayloadValidator() {
    }

    /** A payload that breaks its command's schema. */
    public static class InvalidPayloadException extends RuntimeException {
        public InvalidPayloadException(String message) {
            super(message);
        }
    }

    /**
     * Reads one JSON value from {@code parser}, whose current token is the value's first, and checks
     * it: an object whose required fields are present and not null, and whose declared fields have
     * their types. With no schema the value is only read through (so that bad JSON still shows).
     *
     * @throws InvalidPayloadException naming the field and the rule
     * @throws IOException             for JSON that is not well-formed
     */
    public static void check(PayloadSchema schema, JsonParser parser) throws IOException {
        JsonToken first = parser.currentToken();
        if (schema == null) {
            parser.skipChildren();
            return;
        }
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            throw new InvalidPayloadException("payload must be a JSON object, is " + kind(first));
        }
        Set<String> present = new HashSet<>();
        InvalidPayloadException wrongType = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value != JsonToken.VALUE_NULL) {
                present.add(name);
                FieldType type = schema.fields().get(name);
                if (wrongType == null && type != null && !matches(type, value)) {
                    wrongType = new InvalidPayloadException("payload field '" + name + "' must be "
                            + type.yamlName() + ", is " + kind(value));
                }
            }
            parser.skipChildren();
        }
        // a missing field is named before a mistyped one, as a reader checks a form
        for (String field : schema.required()) {
            if (!present.contains(field)) {
                throw new InvalidPayloadException("payload lacks required field '" + field + "'");
            }
        }
        if (wrongType != null) {
            throw wrongType;
        }
    }

    private static boolean matches(FieldType type, JsonToken value) {
        return switch (type) {
            case STRING -> value == JsonToken.VALUE_STRING;
            case INTEGER -> value == JsonToken.VALUE_NUMBER_INT;
            case NUMBER -> value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
            case BOOLEAN -> value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE;
            case OBJECT -> value == JsonToken.START_OBJECT;
            case ARRAY -> value == JsonToken.START_ARRAY;
        };
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> "null";
        };
    }
}
