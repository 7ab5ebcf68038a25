package io.gamewire.cli;

import io.gamewire.config.Settings;
import io.gamewire.config.SharedJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A client of a running gamewire's admin API for the commands: JSON in and out, or a stream of
 * Server-Sent Events ({@link #stream}); the bearer token on every call, and failures as
 * {@link AdminException}s that say what to do.
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

    /**
     * The client of the gamewire that {@code settings} describe ({@code gamewire.http.host} and
     * {@code port}, over HTTPS with {@code gamewire.http.tls}, trusting the JDK's trust store), or at
     * {@code url} when given, with {@code gamewire.admin.token}.
     *
     * @param who what needs the admin API, for the message when no token is set ("gamewire pull")
     * @throws UsageException when no admin token is configured
     */
    static AdminClient connect(Settings settings, String url, String givenToken, String who) {
        String token = givenToken != null ? givenToken : settings.optional("gamewire.admin.token").orElse("");
        if (token.isEmpty()) {
            throw new UsageException(who + " needs the admin API: set GAMEWIRE_ADMIN_TOKEN (or"
                    + " gamewire.admin.token) to the running gamewire's token");
        }
        String scheme = settings.bool("gamewire.http.tls") ? "https://" : "http://";
        String base = url != null ? url : scheme + reachable(settings.string("gamewire.http.host")) + ":"
                + settings.port("gamewire.http.port");
        return new AdminClient(URI.create(base.endsWith("/") ? base : base + "/"), token);
    }

    /** A host to connect to: a wildcard bind address means this machine. */
    private static String reachable(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1"
                : host.contains(":") ? "[" + host + "]" : host;
    }

    String token() {
        return token;
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
        HttpResponse<String> response = call(request.header("Accept", "application/json"),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), path);
        JsonNode body = jsonOrNull(response.body());
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw refused(status, body, response.body());
        }
        if (body == null) {
            throw new AdminException("gamewire at " + base + " answered " + path + " with no JSON: "
                    + response.body().strip());
        }
        return body;
    }

    /**
     * Opens a stream of Server-Sent Events, such as {@code v1/admin/tail?pattern=halo.#}; read it with
     * {@link EventStream#forEach}, end it with {@link EventStream#close()} from any thread.
     */
    EventStream stream(String path) throws AdminException {
        HttpResponse<InputStream> response = call(HttpRequest.newBuilder(base.resolve(path)).GET()
                .header("Accept", "text/event-stream"), HttpResponse.BodyHandlers.ofInputStream(), path);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String text;
            try (InputStream body = response.body()) {
                text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            throw refused(status, jsonOrNull(text), text);
        }
        return new EventStream(response.body());
    }

    /** An open event stream of the admin API. */
    static final class EventStream implements AutoCloseable {

        private final InputStream body;
        private volatile boolean closed;

        private EventStream(InputStream body) {
            this.body = body;
        }

        /**
         * Hands each event to {@code events} and each comment line to {@code comments}, on the calling
         * thread, until gamewire ends the stream or {@link #close()} is called.
         *
         * @throws AdminException when the connection breaks (not when it was closed here)
         */
        void forEach(Consumer<ServerSentEvent> events, Consumer<String> comments) throws AdminException {
            SseParser parser = new SseParser(events, comments);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    parser.line(line);
                }
            } catch (IOException e) {
                if (!closed) {
                    throw new AdminException("the event stream broke off: " + e.getMessage());
                }
            }
        }

        /** Ends the stream: the connection closes, and gamewire closes what it held for it. */
        @Override
        public void close() {
            closed = true;
            try {
                body.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** What to do about a failed TLS call: a server that speaks plain HTTP, or a certificate not trusted here. */
    private static String tlsAdvice(javax.net.ssl.SSLException e) {
        if (io.gamewire.tls.HandshakeFailures.plaintextPeer(e)) {
            return "The server answers without TLS: is gamewire.http.tls set where it runs? If not, unset it here"
                    + " too, or pass --url http://<host>:<port>";
        }
        // the usual cause: the certificate names a host, and the command connected to 127.0.0.1
        return "The certificate must be trusted by this JVM (-Djavax.net.ssl.trustStore=...) and name the host"
                + " connected to: pass --url https://<a host name in the certificate>:<port>";
    }

    private <T> HttpResponse<T> call(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler, String path)
            throws AdminException {
        try {
            return http.send(request.header("Authorization", "Bearer " + token).timeout(TIMEOUT).build(), handler);
        } catch (ConnectException e) {
            throw new AdminException("no gamewire answers at " + base + ": start it (java -jar gamewire.jar) or"
                    + " pass --url");
        } catch (javax.net.ssl.SSLException e) {
            throw new AdminException("TLS to " + base + " failed: " + e.getMessage() + ". " + tlsAdvice(e));
        } catch (IOException e) {
            throw new AdminException("calling " + base.resolve(path) + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted while calling " + base.resolve(path));
        }
    }

    private JsonNode jsonOrNull(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private AdminException refused(int status, JsonNode body, String text) {
        String message = body != null && body.hasNonNull("message") ? body.get("message").asText() : text.strip();
        return new AdminException("gamewire at " + base + " answered " + status + ": " + message);
    }
}
