package io.gamewire.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/** Reads payloads as exactly one JSON value, naming line and column of the first error. */
public final class JsonPayloads {

    private final ObjectMapper json;

    public JsonPayloads(ObjectMapper json) {
        this.json = json;
    }

    public ObjectMapper mapper() {
        return json;
    }

    /** True for {@code application/json} and {@code application/*+json}, parameters ignored. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    /**
     * The payload as JSON.
     *
     * @throws RefusedException {@link Refusal#INVALID_EVENT} naming what is wrong and where
     */
    public JsonNode parse(ByteBuffer payload) {
        if (!payload.hasRemaining()) {
            throw new RefusedException(Refusal.INVALID_EVENT, "payload is empty; expected a JSON value");
        }
        try (JsonParser parser = parser(payload)) {
            if (parser.nextToken() == null) {
                throw new RefusedException(Refusal.INVALID_EVENT, "payload is blank; expected a JSON value");
            }
            JsonNode value = json.readTree(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new RefusedException(Refusal.INVALID_EVENT, "invalid JSON: unexpected " + trailing
                        + " after the value at " + where(parser.currentLocation()));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new RefusedException(Refusal.INVALID_EVENT, "invalid JSON: " + e.getOriginalMessage() + " at "
                    + where(e.getLocation()));
        } catch (IOException e) {
            throw new RefusedException(Refusal.INVALID_EVENT, "invalid JSON: " + e.getMessage());
        }
    }

    private JsonParser parser(ByteBuffer payload) throws IOException {
        if (payload.hasArray()) {
            return json.getFactory().createParser(payload.array(), payload.arrayOffset() + payload.position(),
                    payload.remaining());
        }
        // an envelope's payload is a read-only view: read it in place rather than copy it
        return json.getFactory().createParser(new ByteBufferBackedInputStream(payload.duplicate()));
    }

    private static String where(JsonLocation location) {
        return location == null ? "unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
