package io.gamewire.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A publisher's web API for the pull tests: JSON at {@code /v1/scores} on a free local port, the
 * body chosen per request, each answer optionally slowed, every request URI and its arrival recorded.
 */
final class PublisherApi implements AutoCloseable {

    private final HttpServer server;
    private final List<URI> requests = new CopyOnWriteArrayList<>();
    private final List<java.time.Instant> arrivals = new CopyOnWriteArrayList<>();

    /** Serves the same body to every request. */
    static PublisherApi serving(String body) throws IOException {
        return new PublisherApi(request -> body, Duration.ZERO);
    }

    /**
     * @param body  the JSON body for a request URI (query included)
     * @param delay how long each answer waits before it is sent
     */
    PublisherApi(Function<URI, String> body, Duration delay) throws IOException {
        this(body, delay, false);
    }

    /**
     * @param concurrently answer requests on threads of their own, so that {@link #close()} does not
     *                     wait for an answer still being delayed (with one thread, the server's stop
     *                     joins it)
     */
    PublisherApi(Function<URI, String> body, Duration delay, boolean concurrently) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        if (concurrently) {
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "publisher-api");
                thread.setDaemon(true);
                return thread;
            }));
        }
        server.createContext("/v1/scores", exchange -> {
            arrivals.add(java.time.Instant.now());
            requests.add(exchange.getRequestURI());
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.apply(exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** The URL a title file's pull fetches. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/scores";
    }

    int requestCount() {
        return requests.size();
    }

    /** The requests so far, oldest first. */
    List<URI> requests() {
        return List.copyOf(requests);
    }

    /** When each request came, oldest first. */
    List<java.time.Instant> arrivals() {
        return List.copyOf(arrivals);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
