package io.gamewire.pulls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.titles.model.PullDefinition;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads one response body item by item, as it streams: no reader holds more than one item (and,
 * for json-items, the small top-level fields it was asked to capture), so a page of any size
 * passes through in bounded memory.
 */
interface PageReader {

    /** Told each item in body order; may throw to stop reading (a missing id, a refused publish). */
    @FunctionalInterface
    interface ItemHandler {

        /**
         * @param item  the item
         * @param index its index in the page, the first is 0
         * @param line  its line in the body (NDJSON), or 0 when the format has no such thing
         */
        void item(JsonNode item, long index, long line) throws PullFailedException;
    }

    /** Where an item handed to an {@link ItemHandler} stands in its page, for messages. */
    static String position(long index, long line) {
        return line > 0 ? "line " + line + " (item at index " + index + ")" : "item at index " + index;
    }

    /** What the body's Content-Type must be, for the error message; JSON unless the format says otherwise. */
    default String expectedContentType() {
        return "application/json (or a +json type)";
    }

    /** Whether a response's media type (lower case, no parameters) fits this format; JSON by default. */
    default boolean accepts(String mediaType) {
        return isJson(mediaType);
    }

    /**
     * Reads the body.
     *
     * @return the value at the pull's {@code paging.from} when this format carries it outside the
     *         items (json-items), else null
     * @throws PageFormatException when the body is malformed, naming the position
     */
    JsonNode read(InputStream body, ItemHandler handler) throws PageFormatException, PullFailedException;

    /** The reader for a pull's {@code body.format}. */
    static PageReader of(PullDefinition pull, ObjectMapper mapper) {
        return switch (pull.body().format()) {
            case JSON_ARRAY -> new JsonArrayPageReader(mapper);
            // a cursor beside the items is captured from the body; a keyset is read from the last item
            case JSON_ITEMS -> new JsonItemsPageReader(mapper, pull.body().items(),
                    pull.paging() == null || pull.paging().kind() != PullDefinition.PagingKind.CURSOR ? null
                            : pull.paging().from());
            case NDJSON -> new NdjsonPageReader(mapper, pull.limits().maxDocumentBytes());
        };
    }

    /** application/json, text/json, or any {@code +json} type (application/vnd.api+json, hal+json). */
    static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.equals("text/json") || mediaType.endsWith("+json");
    }

    /** The media type of a Content-Type header: lower case, without parameters; "" when absent. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
