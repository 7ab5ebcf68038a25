package io.gamewire.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.ingest.http.HttpProblems;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answers of a stop about to be forced, on a bare Vert.x router with the handler in front of
 * the routes, as on platform-http's server: a request still being served is answered 503, an
 * answer under way is left alone, and a request answered in time keeps its answer.
 */
class ForcedStopAnswersTest {

    private Vertx vertx;
    private HttpServer server;
    private final ForcedStopAnswers answers = new ForcedStopAnswers();
    private final AtomicInteger routed = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void server() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route(ForcedStopAnswers.PATH).handler(answers);
        // a route that never answers: a request waiting on a broker's confirm when the stop is forced
        router.post("/held").handler(request -> routed.incrementAndGet());
        router.get("/quick").handler(request -> request.response().end("done"));
        // an answer under way (the live tail's stream), ended once the test asks
        router.get("/stream").handler(request -> {
            routed.incrementAndGet();
            request.response().setChunked(true).write("first\n");
            vertx.eventBus().consumer("end-stream", end -> request.response().end("last\n"));
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestStillBeingServedIsAnswered503OutcomeUnknownWithRetryAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> held = send(HttpRequest.newBuilder(uri("/held"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        await().atMost(Duration.ofSeconds(10)).until(() -> routed.get() == 1);

        answers.answerAll();

        HttpResponse<String> answer = held.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(answer.body()).isEqualTo(HttpProblems.body(503, ForcedStopAnswers.MESSAGE))
                .contains("\"status\":503", "the outcome of this request is unknown: resend it with the same"
                        + " message id");
    }

    @Test
    void anAnswerUnderWayIsLeftAloneAndOneGivenInTimeStays() throws Exception {
        HttpResponse<String> quick = send(HttpRequest.newBuilder(uri("/quick")).GET()).get(10, TimeUnit.SECONDS);
        CompletableFuture<HttpResponse<String>> stream = send(HttpRequest.newBuilder(uri("/stream")).GET());
        await().atMost(Duration.ofSeconds(10)).until(() -> routed.get() == 1);

        answers.answerAll();
        vertx.eventBus().publish("end-stream", "now");

        HttpResponse<String> streamed = stream.get(10, TimeUnit.SECONDS);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).isEqualTo("first\nlast\n");
        assertThat(quick.statusCode()).isEqualTo(200);
        assertThat(quick.body()).isEqualTo("done");
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
        return http.sendAsync(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }
}
