package io.gamewire.it;

import io.gamewire.cli.ServerSentEvent;
import io.gamewire.cli.SseParser;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client of GET /v1/admin/tail that keeps what it read: events, comments, and whether the stream ended. */
final class TailClient implements AutoCloseable {

    final HttpResponse<InputStream> response;
    final List<ServerSentEvent> events = new CopyOnWriteArrayList<>();
    final List<String> comments = new CopyOnWriteArrayList<>();
    private volatile boolean ended;
    /** The body of a refused tail (not 200), read at once. */
    private final String refusal;

    TailClient(HttpClient http, int port, String query, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/admin/tail?" + query))
                .timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                refusal = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
            ended = true;
            return;
        }
        refusal = null;
        SseParser parser = new SseParser(events::add, comments::add);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    parser.line(line);
                }
            } catch (IOException e) {
                // closed by the test
            } finally {
                ended = true;
            }
        }, "tail-client");
        reader.setDaemon(true);
        reader.start();
    }

    int status() {
        return response.statusCode();
    }

    /** The body of a refused tail. */
    String refusal() {
        return refusal;
    }

    /** The queue named by the opening comment, once it came. */
    String queue() {
        return comments.stream().filter(c -> c.startsWith("tail ")).map(c -> c.split(" ")[1]).findFirst().orElse(null);
    }

    List<ServerSentEvent> messages() {
        return events.stream().filter(e -> e.event().equals("message")).toList();
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
