package io.gamewire.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import io.gamewire.titles.PayloadValidator;
import io.gamewire.titles.model.PayloadSchema;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Reads payloads as exactly one JSON value, naming line and column of the first error. */
public final class JsonPayloads {

    private final ObjectMapper json;

    public JsonPayloads(ObjectMapper json) {
        this.json = json;
    }

    public ObjectMapper mapper() {
        return json;
    }

    /**
     * The payload as a JSON tree.
     *
     * @throws RefusedException {@link Refusal#INVALID_EVENT} naming what is wrong and where
     */
    public JsonNode parse(ByteBuffer payload) {
        return read(payload, parser -> json.readTree(parser));
    }

    /**
     * Checks that the payload is exactly one JSON value that {@code schema} (null: any) accepts,
     * reading it as a stream, without building a tree.
     *
     * @param schemaName appended to a schema refusal, e.g. {@code schema of halo.prod.stats.match_end}
     * @throws RefusedException {@link Refusal#INVALID_EVENT} naming what is wrong and where
     */
    public void check(ByteBuffer payload, PayloadSchema schema, String schemaName) {
        read(payload, parser -> {
            try {
                PayloadValidator.check(schema, parser);
            } catch (PayloadValidator.InvalidPayloadException e) {
                throw new RefusedException(Refusal.INVALID_EVENT, e.getMessage() + " (" + schemaName + ")");
            }
            return null;
        });
    }

    /**
     * What a reader takes from a parser positioned on the value's first token. It leaves the parser
     * on the value's last token; a {@link RefusedException} it throws passes through as it is.
     */
    @FunctionalInterface
    public interface ValueReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * Runs {@code reader} on the one JSON value of {@code bytes[offset, offset + length)}, with the
     * refusals of {@link #parse}: blank input, malformed JSON and trailing tokens, named by line and
     * column. The parser's byte offsets count from {@code offset}.
     */
    public <T> T read(byte[] bytes, int offset, int length, ValueReader<T> reader) {
        if (length == 0) {
            throw new RefusedException(Refusal.INVALID_EVENT, "payload is empty; expected a JSON value");
        }
        return readOne(() -> json.getFactory().createParser(bytes, offset, length), reader);
    }

    /** Runs {@code reader} on the one JSON value of the payload; refuses blank input and trailing tokens. */
    private <T> T read(ByteBuffer payload, ValueReader<T> reader) {
        if (!payload.hasRemaining()) {
            throw new RefusedException(Refusal.INVALID_EVENT, "payload is empty; expected a JSON value");
        }
        return readOne(() -> parser(payload), reader);
    }

    @FunctionalInterface
    private interface ParserOpener {
        JsonParser open() throws IOException;
    }

    private <T> T readOne(ParserOpener opener, ValueReader<T> reader) {
        try (JsonParser parser = opener.open()) {
            if (parser.nextToken() == null) {
                throw new RefusedException(Refusal.INVALID_EVENT, "payload is blank; expected a JSON value");
            }
            T value = reader.read(parser);
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
