package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code gamewire tail}: reads the admin API's live tail and prints one line per event: the time
 * gamewire received it (local time), {@code DLQ} for a dead letter, the routing key, the source and
 * the payload as compact JSON (redacted by gamewire); with {@code --json}, the event's JSON as
 * gamewire sent it. Drop notices (the terminal was slower than the bus) go to standard error, so
 * that {@code --json} output stays one JSON object per line.
 */
final class TailCommands {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final AdminClient admin;
    private final PrintStream out;
    private final PrintStream err;

    TailCommands(AdminClient admin, PrintStream out, PrintStream err) {
        this.admin = admin;
        this.out = out;
        this.err = err;
    }

    /**
     * Tails until the stream ends ({@code limit} events, gamewire stopping) or the JVM is stopped
     * (Ctrl-C closes the connection, and gamewire drops the tail's binding); the exit status.
     */
    int tail(String pattern, long limit, boolean json, boolean deadLetters) {
        AdminClient.EventStream stream;
        try {
            stream = admin.stream(AdminPaths.tail(pattern, deadLetters, limit));
        } catch (AdminClient.AdminException e) {
            err.println("gamewire tail: " + e.getMessage());
            return 1;
        }
        Thread closer = new Thread(stream::close, "gamewire-tail-close");
        Runtime.getRuntime().addShutdownHook(closer);
        try {
            stream.forEach(event -> print(event, json), comment -> { });
            return 0;
        } catch (AdminClient.AdminException e) {
            err.println("gamewire tail: " + e.getMessage());
            return 1;
        } finally {
            stream.close();
            try {
                Runtime.getRuntime().removeShutdownHook(closer);
            } catch (IllegalStateException e) {
                // the JVM is stopping already: the hook runs anyway
            }
        }
    }

    private void print(ServerSentEvent event, boolean json) {
        JsonNode data;
        try {
            data = event.json();
        } catch (IOException e) {
            err.println("gamewire tail: an event that is not JSON: " + event.data());
            return;
        }
        switch (event.event()) {
            case "message" -> out.println(json ? data.toString() : line(data));
            case "dropped" -> err.println("-- " + data.path("dropped").asLong() + " events dropped ("
                    + data.path("totalDropped").asLong() + " in all): this tail was slower than the bus;"
                    + " a narrower pattern shows more");
            default -> {
                // event types of later versions
            }
        }
    }

    /** {@code 14:03:07.215 halo.prod.stats.match_end http {"map":"Blood Gulch"}}. */
    static String line(JsonNode event) {
        JsonNode receivedAt = event.path("receivedAt");
        String time = receivedAt.isNumber() ? TIME.format(Instant.ofEpochMilli(receivedAt.asLong())) : "--:--:--.---";
        StringBuilder line = new StringBuilder(time).append(' ');
        if ("dead-letters".equals(event.path("exchange").asText())) {
            line.append("DLQ ");
        }
        line.append(event.path("routingKey").asText()).append(' ')
                .append(event.path("source").isTextual() ? event.path("source").asText() : "-").append(' ')
                .append(event.path("payload"));
        if (event.hasNonNull("error")) {
            line.append(" (").append(event.get("error").asText()).append(')');
        }
        return line.toString();
    }
}
