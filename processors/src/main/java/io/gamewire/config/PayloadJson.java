package io.gamewire.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gamewire.protocol.ContentTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * How a payload is written into a JSON document, by one rule of its content type wherever gamewire
 * shows one (the live tail, the admin API's event views, {@code GET /v1/events/{id}}): a JSON
 * payload ({@link ContentTypes#isJson}) that parses is embedded as JSON; any other payload is a
 * string, its text when it is text ({@link ContentTypes#isText}) and base64 otherwise. Redaction is
 * the caller's ({@code io.gamewire.titles.PayloadRedaction}).
 */
public final class PayloadJson {

    private PayloadJson() {
    }

    /** The payload parsed, when its content type is JSON and it is; else empty. */
    public static Optional<JsonNode> parsed(ObjectMapper json, byte[] payload, String contentType) {
        if (ContentTypes.isJson(contentType)) {
            try {
                return Optional.of(json.readTree(payload));
            } catch (IOException e) {
                // not JSON after all (a payload no schema checked): shown as a string
            }
        }
        return Optional.empty();
    }

    /** As operators see it: parsed JSON, else the text of a text payload, else base64. */
    public static JsonNode shown(ObjectMapper json, byte[] payload, String contentType) {
        return parsed(json, payload, contentType).orElseGet(() -> TextNode.valueOf(ContentTypes.isText(contentType)
                ? new String(payload, StandardCharsets.UTF_8) : base64(payload)));
    }

    /**
     * As the HTTP API's {@code GET /v1/events/{id}} answers it: parsed JSON, else base64, text or
     * not, as its OpenAPI document promises clients.
     */
    public static JsonNode served(ObjectMapper json, byte[] payload, String contentType) {
        return served(json, payload, contentType, null);
    }

    /**
     * The same, given the payload as {@code json} parsed it already ({@code parsedAlready}, null
     * when it was not parsed): used where this would parse it, so it is not parsed twice.
     */
    public static JsonNode served(ObjectMapper json, byte[] payload, String contentType, JsonNode parsedAlready) {
        if (parsedAlready != null && ContentTypes.isJson(contentType)) {
            return parsedAlready;
        }
        return parsed(json, payload, contentType).orElseGet(() -> TextNode.valueOf(base64(payload)));
    }

    /**
     * The payload bytes back from what {@link #served} made of them: a payload of a JSON content
     * type as JSON text (its content; its original spacing is not kept), any other payload decoded
     * from base64.
     *
     * <p>A JSON-typed payload that did not parse was served as base64 text, and comes back here as a
     * JSON string of that text: the served form cannot tell it from a JSON string payload (both are
     * a string). An event read back from its cached view is one whose sinks parsed its payload (a
     * command with {@code event-row: false} has a sql or kv sink), so its payload did parse.
     *
     * @throws IllegalArgumentException a payload of another content type that is not base64
     */
    public static byte[] fromServed(ObjectMapper json, JsonNode served, String contentType) {
        if (!ContentTypes.isJson(contentType)) {
            return Base64.getDecoder().decode(served.asText());
        }
        try {
            return json.writeValueAsBytes(served);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write a served payload back as JSON", e);
        }
    }

    private static String base64(byte[] payload) {
        return Base64.getEncoder().encodeToString(payload);
    }
}
