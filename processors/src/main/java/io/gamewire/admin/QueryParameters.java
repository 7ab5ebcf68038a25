package io.gamewire.admin;

import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.routing.TopicPattern;
import org.apache.camel.Message;

/**
 * The admin API's query parameters, read from the request's headers (where platform-http and the
 * tail's endpoint put them): absent or empty, a parameter takes its default; a value that is not one
 * is refused with 400, {@code parameter '<name>' …}, naming the value.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** The parameter's text, or null when it is absent or empty. */
    public static String text(Message in, String name) {
        String text = in.getHeader(name, String.class);
        return text == null || text.isEmpty() ? null : text;
    }

    /** {@code true} or {@code false}; false when absent. */
    public static boolean bool(Message in, String name) {
        String text = text(in, name);
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw new RequestRefusedException(400, "parameter '" + name + "' must be true or false, was '" + text + "'");
    }

    /** A topic pattern of routing keys ({@link TopicPattern}); {@code fallback} when absent. */
    public static TopicPattern pattern(Message in, String name, TopicPattern fallback) {
        String text = text(in, name);
        if (text == null) {
            return fallback;
        }
        try {
            return TopicPattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException(400, "parameter '" + name + "': " + e.getMessage());
        }
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent. */
    public static long wholeNumber(Message in, String name, long fallback, long min, long max) {
        String text = text(in, name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RequestRefusedException(400, "parameter '" + name + "' must be a whole number from " + min + " to "
                + max + ", was '" + text + "'");
    }
}
