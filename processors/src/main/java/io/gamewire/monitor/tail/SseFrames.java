package io.gamewire.monitor.tail;

/**
 * The Server-Sent Events framing of the tail (the format of the WHATWG HTML standard, section
 * "Server-sent events"): fields {@code event:}, {@code id:} and one {@code data:} line per line of
 * the data, a blank line ending each event; a line starting with {@code :} is a comment, which
 * clients ignore and proxies see as traffic.
 */
public final class SseFrames {

    /** The media type of the stream. */
    public static final String CONTENT_TYPE = "text/event-stream";

    private SseFrames() {
    }

    /** An event of type {@code event} with this id (null: none) and data. */
    public static String event(String event, String id, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 48).append("event: ").append(singleLine(event)).append('\n');
        if (id != null) {
            frame.append("id: ").append(singleLine(id)).append('\n');
        }
        // a line break inside the data would end the field: each line is a data line of its own,
        // which the client joins again with \n (compact JSON has none, but text payloads may)
        for (String line : data.split("\r\n|\r|\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return frame.append('\n').toString();
    }

    /** A comment line: ignored by clients, it keeps idle connections open through proxies. */
    public static String comment(String text) {
        return ": " + singleLine(text) + "\n\n";
    }

    /** An id or event name is one line; a line break would end the field early and start another. */
    private static String singleLine(String value) {
        return value.replaceAll("[\r\n]", " ");
    }
}
