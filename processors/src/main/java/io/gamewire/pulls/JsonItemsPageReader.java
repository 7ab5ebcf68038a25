package io.gamewire.pulls;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.titles.model.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * {@code body.format: json-items}: the body is a JSON object with the items in an array at
 * {@code body.items} ({@code $.items}, {@code $.data.items}: field names only). The walk streams
 * down that path and reads the array element by element; every other field is skipped unread,
 * except the one {@code paging.from} starts with (the cursor, e.g. {@code $.paging.next}), which is
 * read as a small tree wherever it stands, before or after the items: APIs put it on either side.
 *
 * <p>An object without the items field is an empty page: APIs that render empty lists by leaving
 * the field out (protobuf's JSON mapping does) would otherwise fail every quiet run.
 */
final class JsonItemsPageReader implements PageReader {

    private final ObjectMapper mapper;
    private final JsonPath itemsPath;
    private final List<String> items;
    private final List<Object> cursor;

    JsonItemsPageReader(ObjectMapper mapper, JsonPath itemsPath, JsonPath cursorPath) {
        if (itemsPath == null || itemsPath.steps().isEmpty()) {
            throw new IllegalArgumentException("body.items must name the items array, e.g. $.items");
        }
        for (Object step : itemsPath.steps()) {
            if (!(step instanceof String)) {
                throw new IllegalArgumentException("body.items " + itemsPath.text()
                        + " may only name fields (e.g. $.data.items), not array positions");
            }
        }
        this.mapper = mapper;
        this.itemsPath = itemsPath;
        this.items = itemsPath.steps().stream().map(String.class::cast).toList();
        this.cursor = cursorPath == null || cursorPath.steps().isEmpty() ? null : cursorPath.steps();
    }

    @Override
    public JsonNode read(InputStream body, ItemHandler handler) throws PageFormatException, PullFailedException {
        JsonStreamItems reader = new JsonStreamItems(handler);
        JsonNode[] captured = new JsonNode[1];
        try (JsonParser parser = mapper.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw reader.malformed(parser, "the body should be a JSON object with the items at " + itemsPath.text()
                        + " but " + (first == null ? "is empty" : "is " + JsonStreamItems.describe(first)), null);
            }
            walkObject(parser, 0, reader, captured);
            reader.expectEnd(parser);
        } catch (IOException e) {
            throw reader.malformed(e);
        }
        return captured[0];
    }

    /** Inside the object at items[0..depth): descends along the items path, captures the cursor. */
    private void walkObject(JsonParser parser, int depth, JsonStreamItems reader, JsonNode[] captured)
            throws IOException, PullFailedException, PageFormatException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals(items.get(depth))) {
                if (depth == items.size() - 1) {
                    if (value == JsonToken.START_ARRAY) {
                        reader.readArray(parser);
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw reader.malformed(parser, itemsPath.text() + " should be an array of items but is "
                                + JsonStreamItems.describe(value), null);
                    }
                } else if (value == JsonToken.START_OBJECT) {
                    walkObject(parser, depth + 1, reader, captured);
                } else if (value != JsonToken.VALUE_NULL) {
                    throw reader.malformed(parser, "'" + name + "' on the way to " + itemsPath.text()
                            + " should be an object but is " + JsonStreamItems.describe(value), null);
                }
            } else if (startsCursorHere(depth, name)) {
                JsonNode tree = parser.readValueAsTree();
                captured[0] = readRest(tree, depth + 1);
            } else {
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw reader.malformed(parser, "the body ended inside an object", null);
        }
    }

    /** Whether the cursor path runs through items[0..depth) and then through {@code name}. */
    private boolean startsCursorHere(int depth, String name) {
        if (cursor == null || cursor.size() <= depth) {
            return false;
        }
        for (int i = 0; i < depth; i++) {
            if (!items.get(i).equals(cursor.get(i))) {
                return false;
            }
        }
        return name.equals(cursor.get(depth));
    }

    private JsonNode readRest(JsonNode tree, int from) {
        JsonNode at = tree;
        for (Object step : cursor.subList(from, cursor.size())) {
            if (at == null) {
                return null;
            }
            at = step instanceof String field ? at.get(field) : at.get((Integer) step);
        }
        return at == null || at.isNull() || at.isMissingNode() ? null : at;
    }
}
