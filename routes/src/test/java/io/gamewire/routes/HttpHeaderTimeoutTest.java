package io.gamewire.routes;

import static io.gamewire.routes.RawHttp.connect;
import static io.gamewire.routes.RawHttp.readResponse;
import static io.gamewire.routes.RawHttp.readUntilClosed;
import static io.gamewire.routes.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The header timeout on a bare Vert.x server made through {@link ServerShapingVertx}, as
 * platform-http's is, with the request hook first on the router. Only the time without an open
 * request is timed: from connecting, and from the end of each answer.
 */
class HttpHeaderTimeoutTest {

    /** Long enough that a cold JVM sets up an HTTP/2 connection and sends its first request within it. */
    private static final long TIMEOUT_MS = 1000;
    /** Slack for the timers of both sides and a loaded machine. */
    private static final Duration LATE = Duration.ofMillis(3 * TIMEOUT_MS);

    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void server() throws Exception {
        HttpHeaderTimeout timeout = new HttpHeaderTimeout(TIMEOUT_MS);
        ServerShapingVertx shaping = ServerShapingVertx.wrap(Vertx.vertx(), timeout.shaper());
        vertx = shaping.vertx();
        Router router = Router.router(vertx);
        router.route("/*").handler(timeout::requestHeadersIn);
        router.route("/*").handler(BodyHandler.create());
        router.get("/fast").handler(request -> request.response().end("fast"));
        // silent both ways for three times the timeout, then answered: a long computation
        router.get("/slow").handler(request -> vertx.setTimer(3 * TIMEOUT_MS, t -> request.response().end("slow")));
        // a stream with a silence of three times the timeout, as the live tail may have
        router.get("/stream").handler(request -> {
            request.response().setChunked(true).write("first\n");
            vertx.setTimer(3 * TIMEOUT_MS, t -> request.response().end("last\n"));
        });
        router.post("/echo").handler(request -> request.response().end("got " + request.body().asString()));
        server = done(vertx.createHttpServer(new HttpServerOptions()).requestHandler(router).listen(0, "127.0.0.1"));
        assertThat(shaping.shapedServers()).isEqualTo(1);
    }

    @AfterEach
    void stop() throws Exception {
        done(vertx.close());
    }

    @Test
    void theTlsHandshakeGetsTheTimeoutWhenItIsShorterThanVertxsTenSecondsAndNeverLonger() {
        for (long[] timeoutAndHandshake : new long[][] {{1_500, 1_500}, {10_000, 10_000}, {60_000, 10_000}}) {
            HttpServerOptions options = new HttpServerOptions();
            new HttpHeaderTimeout(timeoutAndHandshake[0]).shaper().options(options);
            assertThat(options.getSslHandshakeTimeoutUnit().toMillis(options.getSslHandshakeTimeout()))
                    .as("header timeout %d ms", timeoutAndHandshake[0]).isEqualTo(timeoutAndHandshake[1]);
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAWordAtTheTimeout() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            long started = System.nanoTime();

            String answer = readUntilClosed(client);

            assertThat(answer).isEmpty();
            assertThat(since(started)).isBetween(Duration.ofMillis(TIMEOUT_MS - 100), LATE);
        }
    }

    @Test
    void headersTrickledAByteAtATimeAreClosedWithoutAWordAtTheTimeout() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            long started = System.nanoTime();
            // one byte every 50 ms, each well within the timeout: the head would take 4 s
            Thread trickle = trickle(client, "GET /fast HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(20) + "\r\n\r\n");

            String answer = readUntilClosed(client);

            assertThat(since(started)).isBetween(Duration.ofMillis(TIMEOUT_MS - 100), LATE);
            assertThat(answer).isEmpty();
            trickle.interrupt();
        }
    }

    @Test
    void aKeptAliveConnectionIdlePastTheTimeoutIsClosedWithoutAnAnswer() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            send(client, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponse(client)).startsWith("HTTP/1.1 200 OK").endsWith("fast");
            long answered = System.nanoTime();

            assertThat(readUntilClosed(client)).as("nothing after the answer, then the close").isEmpty();
            assertThat(since(answered)).isBetween(Duration.ofMillis(TIMEOUT_MS - 100), LATE);
        }
    }

    @Test
    void aSecondRequestWhoseHeadersStallIsClosedAtTheTimeout() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            send(client, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponse(client)).endsWith("fast");

            long answered = System.nanoTime();
            send(client, "GET /fa");

            assertThat(readUntilClosed(client)).isEmpty();
            assertThat(since(answered)).isBetween(Duration.ofMillis(TIMEOUT_MS - 100), LATE);
        }
    }

    @Test
    void aLongComputationAndAStreamWithLongSilencesAreNotCutAndTheConnectionStaysKeptAlive() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            send(client, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponse(client)).startsWith("HTTP/1.1 200 OK").endsWith("slow");

            send(client, "GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(readUntilClosed(client)).startsWith("HTTP/1.1 200 OK").contains("first\n").contains("last\n");
        }
    }

    @Test
    void aBodyThatPausesIsLeftToTheBodyTimeout() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            send(client, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
            // twice the timeout with the body half sent: nothing comes, the connection stays open
            await().during(Duration.ofMillis(2 * TIMEOUT_MS)).atMost(Duration.ofSeconds(10))
                    .until(() -> client.getInputStream().available() == 0);

            send(client, "cd");

            assertThat(readResponse(client)).startsWith("HTTP/1.1 200 OK").endsWith("got abcd");
        }
    }

    @Test
    void overHttp2ALongAnswerIsServedThenTheIdleConnectionIsClosed() throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
        CompletableFuture<Long> closed = new CompletableFuture<>();
        // the body is asked for as the head arrives, on the event loop, before its data can be dropped
        String answer = done(client.request(HttpMethod.GET, "/slow").compose(request -> {
            request.connection().closeHandler(v -> closed.complete(System.nanoTime()));
            return request.send().compose(response -> response.body().map(body -> response.version() + " " + body));
        }));
        long answered = System.nanoTime();

        assertThat(answer).isEqualTo("HTTP_2 slow");
        long closedAt = closed.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(closedAt - answered)).isBetween(Duration.ofMillis(TIMEOUT_MS - 100), LATE);
    }

    @Test
    void aClientUpgradedToH2cKeepsAStreamWithLongSilencesOpen() throws Exception {
        // the JDK's client asks for h2c on its first request, as gamewire's own tests and CLI do
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + server.actualPort());
        HttpResponse<String> fast = jdk.send(HttpRequest.newBuilder(base.resolve("/fast")).build(), BodyHandlers.ofString());
        assertThat(fast.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);

        HttpResponse<String> stream = jdk.send(HttpRequest.newBuilder(base.resolve("/stream")).build(), BodyHandlers.ofString());

        assertThat(stream.body()).isEqualTo("first\nlast\n");
    }

    private static <T> T done(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Sends {@code text} a byte every 50 ms on a thread of its own, which stops when the server closes. */
    private static Thread trickle(Socket client, String text) {
        Thread trickle = new Thread(() -> {
            try {
                for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                    client.getOutputStream().write(b);
                    client.getOutputStream().flush();
                    Thread.sleep(50);
                }
            } catch (IOException closed) {
                // the server closed the connection, as it should
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "http-header-trickle");
        trickle.setDaemon(true);
        trickle.start();
        return trickle;
    }
}
