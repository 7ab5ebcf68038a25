package io.gamewire.pulls;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/** {@code body.format: json-array}: the body is one JSON array of items, read element by element. */
final class JsonArrayPageReader implements PageReader {

    private final ObjectMapper mapper;

    JsonArrayPageReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public JsonNode read(InputStream body, ItemHandler handler) throws PageFormatException, PullFailedException {
        JsonStreamItems items = new JsonStreamItems(handler);
        try (JsonParser parser = mapper.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw items.malformed(parser, "the body should be a JSON array of items but "
                        + (first == null ? "is empty" : "starts with " + JsonStreamItems.describe(first)), null);
            }
            items.readArray(parser);
            items.expectEnd(parser);
        } catch (IOException e) {
            throw items.malformed(e);
        }
        return null;
    }
}
