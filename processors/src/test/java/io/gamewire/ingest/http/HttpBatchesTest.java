package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MessageIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A batch without a Camel exchange: which steps run with what, and the answer each outcome gets,
 * written out as the route {@code http-ingest-batch} writes it.
 */
class HttpBatchesTest {

    private static final String KEY_REFUSED = "no API key given; send Authorization: Bearer <API key of the title>";

    private final List<String> steps = new ArrayList<>();
    private final CompletableFuture<List<BatchPublishing.EventResult>> published = new CompletableFuture<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<HttpEventBodies.Item> items = List.of(new HttpEventBodies.Item(
            Envelope.event(MessageIds.next(), 1L, "application/json", "halo.prod.stats.end", new byte[] {'{', '}'}),
            null));
    private RuntimeException readFails;
    private RuntimeException publishThrows;
    private RuntimeException resultsBodyFails;

    private HttpBatches batches() {
        return new HttpBatches(presented -> {
            steps.add("key " + presented);
            if (presented == null) {
                throw new RequestRefusedException(401, KEY_REFUSED);
            }
            return "sha-of-" + presented;
        }, (contentType, body) -> {
            steps.add("read " + contentType + " " + new String(body, StandardCharsets.UTF_8));
            if (readFails != null) {
                throw readFails;
            }
            return items;
        }, (key, read) -> {
            steps.add("publish " + (read == items ? "the items read" : read) + " with " + key);
            if (publishThrows != null) {
                throw publishThrows;
            }
            return published;
        }, results -> {
            if (resultsBodyFails != null) {
                throw resultsBodyFails;
            }
            return "results of " + results.size();
        }, meters);
    }

    private static HttpBatches.Request post(String authorization) {
        return new HttpBatches.Request(authorization, "application/x-ndjson", "lines".getBytes(StandardCharsets.UTF_8));
    }

    private long answered(String answer) {
        return meters.get(HttpBatches.METER).tag("answer", answer).timer().count();
    }

    @Test
    void aBatchIsReadPublishedAndAnswered200WithItsResultsOnceEveryEventIsSettled() {
        CompletableFuture<HttpAnswer> answer = batches().answer(post("Bearer the-key"));

        assertThat(steps).containsExactly("key the-key", "read application/x-ndjson lines",
                "publish the items read with sha-of-the-key");
        assertThat(answer).as("no answer before every event is settled").isNotDone();
        published.complete(List.of(BatchPublishing.EventResult.accepted(0, "id-0")));

        assertThat(answer.join()).isEqualTo(new HttpAnswer(200, "results of 1", Map.of()));
        assertThat(answered("answered")).isEqualTo(1);
        assertThat(answered("refused") + answered("failed")).isZero();
    }

    @Test
    void noKeyIs401AndNothingIsRead() {
        HttpAnswer answer = batches().answer(post(null)).join();
        HttpAnswer basic = batches().answer(post("Basic dXNlcjpwdw==")).join();

        assertThat(steps).containsExactly("key null", "key null");
        assertThat(basic).isEqualTo(answer);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"" + KEY_REFUSED + "\"}");
        assertThat(answer.headers()).containsExactly(Map.entry("WWW-Authenticate", "Bearer realm=\"gamewire\""));
        assertThat(answered("refused")).isEqualTo(2);
    }

    @Test
    void aBodyThatIsNoBatchIsRefusedWholeAndNothingIsPublished() {
        readFails = new RequestRefusedException(415, "content type 'text/plain' is not a batch");

        HttpAnswer answer = batches().answer(post("Bearer k")).join();

        assertThat(steps).noneMatch(step -> step.startsWith("publish"));
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.body()).isEqualTo("{\"status\":415,\"error\":\"Unsupported Media Type\","
                + "\"message\":\"content type 'text/plain' is not a batch\"}");
        assertThat(answered("refused")).isEqualTo(1);
    }

    /** The route's error handler answers it so: the broker unreachable when the batch was handed over, nothing sent. */
    @Test
    void aPublishThatThrowsAtOnceIsAnsweredAsTheRouteAnswersItWholeBatch() {
        publishThrows = new org.springframework.amqp.AmqpConnectException(new java.net.ConnectException("refused"));

        HttpAnswer answer = batches().answer(post("Bearer k")).join();

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).contains("outcome unknown");
        assertThat(answered("failed")).isEqualTo(1);
    }

    @Test
    void aFailureOfThePublishIsAnswered500NamingIt() {
        CompletableFuture<HttpAnswer> answer = batches().answer(post("Bearer k"));
        published.completeExceptionally(new CompletionException(new IllegalStateException("a bug")));

        assertThat(answer.join().status()).isEqualTo(500);
        assertThat(answer.join().body()).contains("internal error: java.lang.IllegalStateException: a bug");
        assertThat(answered("failed")).isEqualTo(1);
    }

    @Test
    void resultsWhoseBodyCannotBeWrittenAreAnswered500NotLeftHanging() {
        resultsBodyFails = new IllegalStateException("a bug in the body");
        CompletableFuture<HttpAnswer> answer = batches().answer(post("Bearer k"));
        published.complete(List.of());

        assertThat(answer.join().status()).isEqualTo(500);
        assertThat(answer.join().body()).contains("a bug in the body");
        assertThat(answered("failed")).isEqualTo(1);
    }
}
