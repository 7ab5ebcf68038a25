package io.gamewire.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A minimal reader of the admin API's Server-Sent Events ({@code GET /v1/admin/tail}): {@code event:},
 * {@code id:} and {@code data:} lines up to a blank line make one {@link Event}; comments
 * ({@code : keep-alive}) are skipped. The console's {@code tail} is its only user.
 * TODO(issue 15, engineer B): B's SSE client of {@code gamewire tail} replaces this class.
 */
final class TailEvents {

    /** One event: its type ({@code message}, {@code dropped}), id and data (the data lines joined). */
    record Event(String type, String id, String data) {
    }

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The stream being read; closing it is how {@link #stop()} ends a blocked read. */
    private volatile InputStream current;
    private volatile boolean stopped;

    TailEvents(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Reads the stream at {@code path} until it ends, {@link #stop()} is called or this thread is interrupted. */
    void follow(String path, Consumer<Event> events) throws AdminClient.AdminException {
        stopped = false;
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AdminClient.AdminException("calling " + base.resolve(path) + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        current = response.body();
        try (InputStream body = current;
             BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new AdminClient.AdminException("gamewire at " + base + " answered " + response.statusCode()
                        + ": " + String.join(" ", lines.lines().toList()).strip());
            }
            read(lines, events);
        } catch (IOException e) {
            if (!stopped && !Thread.currentThread().isInterrupted()) {
                throw new AdminClient.AdminException("the stream " + base.resolve(path) + " broke: " + e);
            }
        }
    }

    /** Ends the stream being followed (Ctrl-C): closing it unblocks the read; the server then drops its queue. */
    void stop() {
        stopped = true;
        InputStream stream = current;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    /** Parses events from {@code lines} until they end. */
    static void read(BufferedReader lines, Consumer<Event> events) throws IOException {
        String type = "message";
        String id = null;
        StringBuilder data = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (line.isEmpty()) {
                if (data != null) {
                    events.accept(new Event(type, id, data.toString()));
                }
                type = "message";
                id = null;
                data = null;
            } else if (line.startsWith("event:")) {
                type = line.substring(6).strip();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                String value = line.substring(5);
                value = value.startsWith(" ") ? value.substring(1) : value;
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
    }
}
