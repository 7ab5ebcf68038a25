package io.gamewire.cli;

import io.gamewire.config.SharedJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of a running gamewire's admin API for the commands: JSON in and out, the bearer token
 * on every call, and failures as {@link AdminException}s that say what to do.
 */
final class AdminClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json = SharedJson.MAPPER;

    /** A failed call: gamewire unreachable, or an answer other than 2xx (its message included). */
    static final class AdminException extends Exception {
        AdminException(String message) {
            super(message);
        }
    }

    /** @param base the running gamewire, e.g. http://127.0.0.1:8080 */
    AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI base() {
        return base;
    }

    JsonNode get(String path) throws AdminException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
    }

    JsonNode post(String path, JsonNode body) throws AdminException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), path);
    }

    private JsonNode send(HttpRequest.Builder request, String path) throws AdminException {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new AdminException("no gamewire answers at " + base + ": start it (java -jar gamewire.jar) or"
                    + " pass --url");
        } catch (IOException e) {
            throw new AdminException("calling " + base.resolve(path) + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted while calling " + base.resolve(path));
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String message = body != null && body.hasNonNull("message") ? body.get("message").asText()
                    : response.body().strip();
            throw new AdminException("gamewire at " + base + " answered " + status + ": " + message);
        }
        if (body == null) {
            throw new AdminException("gamewire at " + base + " answered " + path + " with no JSON: "
                    + response.body().strip());
        }
        return body;
    }
}
