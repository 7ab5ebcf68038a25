package io.gamewire.pulls;

/**
 * A response body that is not what the pull's {@code body.format} says: truncated JSON, an NDJSON
 * line cut in half, a value where the items should be. The message gives the position (item
 * index, line, byte offset); the run adds the pull's name and the page number.
 */
final class PageFormatException extends Exception {

    PageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
