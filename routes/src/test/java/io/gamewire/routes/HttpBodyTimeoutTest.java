package io.gamewire.routes;

import static io.gamewire.routes.RawHttp.connect;
import static io.gamewire.routes.RawHttp.readResponse;
import static io.gamewire.routes.RawHttp.readUntilClosed;
import static io.gamewire.routes.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The body timeout on a bare Vert.x router laid out as platform-http's: the timeout first, then the
 * body handler, then the route. Only a body that does not arrive in time is cut; a slow answer is not.
 */
class HttpBodyTimeoutTest {

    private static final long TIMEOUT_MS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger routed = new AtomicInteger();

    @BeforeEach
    void server() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/*").handler(new HttpBodyTimeout(TIMEOUT_MS));
        router.route("/*").handler(BodyHandler.create());
        // answers after twice the timeout: a slow answer to a body that came in time
        router.post("/slow").handler(request -> {
            routed.incrementAndGet();
            vertx.setTimer(2 * TIMEOUT_MS, t -> request.response().end("took " + request.body().length()));
        });
        // a stream that stays open past the timeout, as the live tail's does
        router.get("/stream").handler(request -> {
            routed.incrementAndGet();
            request.response().setChunked(true).write("first\n");
            vertx.setTimer(2 * TIMEOUT_MS, t -> request.response().end("last\n"));
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyThatStallsAfterItsFirstByteIsAnswered408NamingTheSettingAndTheConnectionIsClosed() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            long started = System.nanoTime();
            send(client, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");

            String answer = readUntilClosed(client);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(TIMEOUT_MS));
            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n").containsIgnoringCase("content-type: application/json");
            JsonNode problem = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.get("status").asInt()).isEqualTo(408);
            assertThat(problem.get("error").asText()).isEqualTo("Request Timeout");
            assertThat(problem.get("message").asText()).isEqualTo("the request body did not arrive within 600 ms of its"
                    + " headers (gamewire.http.body-timeout-ms): 1 of its 100 bytes came; send the whole body without pausing");
        }
        assertThat(routed).as("the request never reached its route").hasValue(0);
    }

    @Test
    void aChunkedBodyTrickledByteByByteIsCutAtTheTimeoutNotKeptAliveByEachByte() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            send(client, "POST /slow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            long started = System.nanoTime();
            String answer = null;
            // one byte every 100 ms would take far longer than the timeout; the answer comes at the timeout
            for (int i = 0; i < 40 && answer == null; i++) {
                try {
                    send(client, "1\r\nx\r\n");
                } catch (IOException closed) {
                    break; // closed by the server while trickling
                }
                Thread.sleep(100);
                if (client.getInputStream().available() > 0) {
                    answer = readUntilClosed(client);
                }
            }
            if (answer == null) {
                answer = readUntilClosed(client);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3 * TIMEOUT_MS));
            // no Content-Length to compare with: only what came
            assertThat(answer).startsWith("HTTP/1.1 408 ").containsPattern("\\(gamewire.http.body-timeout-ms\\): \\d+ bytes came;");
        }
        assertThat(routed).hasValue(0);
    }

    @Test
    void aBodyThatCameInTimeIsServedHoweverLongTheAnswerTakes() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            send(client, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");

            assertThat(readResponse(client)).startsWith("HTTP/1.1 200 OK").endsWith("took 2");
            // kept alive: a second request on the same connection is served too
            send(client, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n[1]");
            assertThat(readResponse(client)).startsWith("HTTP/1.1 200 OK").endsWith("took 3");
        }
    }

    @Test
    void aStreamedAnswerToAGetOutlivesTheTimeout() throws Exception {
        try (Socket client = connect(server.actualPort())) {
            send(client, "GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            String answer = readUntilClosed(client);

            assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("first\n").contains("last\n");
        }
    }

    @Test
    void overHttp2OnlyTheStalledStreamEndsAndItsConnectionServesTheNextRequest() throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
        HttpClientRequest stalled = await(client.request(HttpMethod.POST, "/slow"));
        CompletableFuture<Throwable> reset = new CompletableFuture<>();
        stalled.exceptionHandler(reset::complete);
        stalled.putHeader("Content-Length", "100");
        stalled.write("{");

        // the body is asked for as the head arrives, on the event loop, before its data can be dropped
        String refused = await(stalled.response().compose(response -> response.body()
                .map(body -> response.statusCode() + " " + body)));
        assertThat(refused).startsWith("408 ").contains("1 of its 100 bytes came");
        assertThat(reset.get(10, TimeUnit.SECONDS)).as("the stream is reset: stop sending")
                .isInstanceOfSatisfying(StreamResetException.class, e -> assertThat(e.getCode()).isZero());

        HttpClientRequest next = await(client.request(HttpMethod.POST, "/slow"));
        HttpClientResponse served = await(next.send("{}"));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(next.connection()).as("one connection for both").isSameAs(stalled.connection());
        assertThat(routed).hasValue(1);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
