package io.gamewire.cli;

import java.util.function.Consumer;

/**
 * Reads a {@code text/event-stream} line by line, as the WHATWG HTML standard's "Server-sent events"
 * section says a client does: {@code field: value} lines (one space after the colon dropped), a
 * blank line dispatching the event, lines starting with {@code :} comments, fields other than
 * {@code event}, {@code id} and {@code data} ignored, and an event without data not dispatched.
 */
public final class SseParser {

    private final Consumer<ServerSentEvent> events;
    private final Consumer<String> comments;
    private String event;
    private String id;
    private StringBuilder data;

    public SseParser(Consumer<ServerSentEvent> events, Consumer<String> comments) {
        this.events = events;
        this.comments = comments;
    }

    /** One line, without its line break. */
    public void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            comments.accept(line.substring(1).stripLeading());
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> event = value;
            case "id" -> id = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // retry and unknown fields: nothing a tail client needs
            }
        }
    }

    private void dispatch() {
        if (data != null) {
            events.accept(new ServerSentEvent(event == null || event.isEmpty() ? "message" : event, id, data.toString()));
        }
        event = null;
        id = null;
        data = null;
    }
}
