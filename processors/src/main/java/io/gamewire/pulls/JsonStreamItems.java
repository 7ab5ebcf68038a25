package io.gamewire.pulls;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * The items array of a JSON body, read with Jackson's streaming parser one element at a time
 * ({@code readValueAsTree} per element), and the position of whatever goes wrong: the item index
 * and Jackson's byte offset, line and column.
 */
final class JsonStreamItems {

    private final PageReader.ItemHandler handler;
    private JsonParser parser;
    private long index;
    private boolean inItems;

    JsonStreamItems(PageReader.ItemHandler handler) {
        this.handler = handler;
    }

    /** Reads the array the parser stands at the start of, handing each element to the handler. */
    void readArray(JsonParser parser) throws IOException, PullFailedException, PageFormatException {
        this.parser = parser;
        inItems = true;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                // Jackson reports an end inside an array itself; this is the belt to its braces
                throw malformed(parser, "the body ended inside the items array", null);
            }
            JsonNode item = parser.readValueAsTree();
            handler.item(item, index, 0);
            index++;
        }
        inItems = false;
    }

    /** Checks nothing but whitespace follows the top-level value. */
    void expectEnd(JsonParser parser) throws IOException, PageFormatException {
        this.parser = parser;
        JsonToken extra = parser.nextToken();
        if (extra != null) {
            throw malformed(parser, "content after the end of the top-level JSON value: " + describe(extra), null);
        }
    }

    long itemsRead() {
        return index;
    }

    PageFormatException malformed(JsonParser at, String problem, Throwable cause) {
        this.parser = at;
        return new PageFormatException(problem + " " + position(at.currentLocation()), cause);
    }

    /** A parse or read failure, with where it happened. */
    PageFormatException malformed(IOException e) {
        if (e instanceof BodyRefusedException refused) {
            // its offset is exact; the parser's position and item count are of a buffer before it
            return new PageFormatException(refused.getMessage(), e);
        }
        if (e instanceof JsonProcessingException json) {
            JsonLocation location = json.getLocation() != null ? json.getLocation()
                    : parser != null ? parser.currentLocation() : null;
            return new PageFormatException("malformed JSON " + position(location) + ": " + json.getOriginalMessage(), e);
        }
        return new PageFormatException("reading the body failed " + position(parser == null ? null
                : parser.currentLocation()) + ": " + e, e);
    }

    private String position(JsonLocation location) {
        StringBuilder text = new StringBuilder();
        if (location != null && location.getByteOffset() >= 0) {
            text.append("at byte ").append(location.getByteOffset()).append(" (line ").append(location.getLineNr())
                    .append(", column ").append(location.getColumnNr()).append(")");
        } else {
            text.append("at an unknown position");
        }
        if (inItems) {
            text.append(", in the item at index ").append(index);
        } else {
            text.append(", after ").append(index).append(index == 1 ? " item" : " items");
        }
        return text.toString();
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }
}
