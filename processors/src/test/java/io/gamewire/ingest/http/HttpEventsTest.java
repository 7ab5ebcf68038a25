package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MessageIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A single event without a Camel exchange: which steps run with what, and the answer each outcome
 * gets, written out as the route {@code http-ingest-event} writes it.
 */
class HttpEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTING_KEY = "halo.prod.stats.match_end";

    private final List<String> steps = new ArrayList<>();
    private final CompletableFuture<Void> confirm = new CompletableFuture<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private RuntimeException readFails;
    private RuntimeException admitFails;
    private Envelope read;

    private HttpEvents events() {
        return new HttpEvents(presented -> "sha-of-" + presented, (routingKey, contentType, messageId, body) -> {
            steps.add("read " + routingKey + " " + contentType + " " + messageId + " "
                    + new String(body, StandardCharsets.UTF_8));
            if (readFails != null) {
                throw readFails;
            }
            read = Envelope.event(MessageIds.next(), 1L, "application/json", routingKey, body);
            return read;
        }, (key, source, event) -> {
            steps.add("admit " + key + " " + source);
            if (admitFails != null) {
                throw admitFails;
            }
            return event;
        }, (admitted, order) -> {
            steps.add("publish " + (admitted == read ? "the admitted event" : admitted) + (order == PublishOrder.NONE
                    ? " in no order" : " in an order"));
            return confirm;
        }, meters);
    }

    private static HttpEvents.Request post(String authorization) {
        return new HttpEvents.Request(authorization, ROUTING_KEY, "application/json", "id-1",
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private long answered(String answer) {
        return meters.get(HttpEvents.METER).tag("answer", answer).timer().count();
    }

    @Test
    void anAdmittedEventIsPublishedAndAnswered202WithItsIdOnItsConfirm() throws Exception {
        CompletableFuture<HttpAnswer> answer = events().answer(post("Bearer the-key"));

        assertThat(steps).containsExactly("read " + ROUTING_KEY + " application/json id-1 {}",
                "admit sha-of-the-key " + EventSource.HTTP, "publish the admitted event in no order");
        assertThat(answer).as("no answer before the broker's confirm").isNotDone();
        confirm.complete(null);

        HttpAnswer accepted = answer.join();
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).path("messageId").asText()).isEqualTo(read.messageId().toString());
        assertThat(accepted.body()).isEqualTo(HttpEvents.acceptedBody(read.messageId()));
        assertThat(answered("accepted")).isEqualTo(1);
        assertThat(answered("refused") + answered("failed")).isZero();
    }

    @Test
    void noKeyOrAnotherSchemeIsAdmittedWithoutOneAndAdmitSaysWhy() {
        admitFails = new RefusedException(Refusal.UNKNOWN_KEY, "no API key given");

        HttpAnswer none = events().answer(post(null)).join();
        HttpAnswer basic = events().answer(post("Basic dXNlcjpwdw==")).join();

        assertThat(steps).filteredOn(step -> step.startsWith("admit")).containsExactly(
                "admit null " + EventSource.HTTP, "admit null " + EventSource.HTTP);
        assertThat(none).isEqualTo(basic);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"no API key given\"}");
        assertThat(none.headers()).containsExactly(Map.entry("WWW-Authenticate", "Bearer realm=\"gamewire\""));
        assertThat(answered("refused")).isEqualTo(2);
    }

    @Test
    void aBodyThatCannotBeReadIsRefusedAsTheRouteRefusesItAndNothingIsAdmitted() throws Exception {
        readFails = new RequestRefusedException(415, "Content-Type 'text/plain' is not accepted");

        HttpAnswer answer = events().answer(post("Bearer k")).join();

        assertThat(steps).hasSize(1);
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.body()).isEqualTo("{\"status\":415,\"error\":\"Unsupported Media Type\","
                + "\"message\":\"Content-Type 'text/plain' is not accepted\"}");
        assertThat(answer.headers()).isEmpty();
        assertThat(answered("refused")).isEqualTo(1);
    }

    @Test
    void aRateLimitIs429WithRetryAfter() {
        admitFails = new RefusedException(Refusal.RATE_LIMITED, "key 'k' is over its rate", 3, null);

        HttpAnswer answer = events().answer(post("Bearer k")).join();

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.headers()).containsExactly(Map.entry("Retry-After", "3"));
        assertThat(answer.body()).isEqualTo("{\"status\":429,\"error\":\"Too Many Requests\","
                + "\"message\":\"key 'k' is over its rate\"}");
        assertThat(steps).noneMatch(step -> step.startsWith("publish"));
    }

    @Test
    void anUnconfirmedEventIs503OutcomeUnknownWithTheIdToResendWith() throws Exception {
        CompletableFuture<HttpAnswer> answer = events().answer(post("Bearer k"));
        RefusedException unconfirmed = new RefusedException(Refusal.PUBLISH_FAILED, "outcome unknown: nack");
        confirm.completeExceptionally(new java.util.concurrent.CompletionException(unconfirmed));

        HttpAnswer failed = answer.join();
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.body()).isEqualTo("{\"status\":503,\"error\":\"Service Unavailable\","
                + "\"message\":\"outcome unknown: nack\",\"messageId\":\"" + read.messageId() + "\"}");
        JsonNode body = JSON.readTree(failed.body());
        assertThat(body.path("messageId").asText()).isEqualTo(read.messageId().toString());
        assertThat(body.path("message").asText()).isEqualTo("outcome unknown: nack");
        assertThat(answered("failed")).isEqualTo(1);
    }

    @Test
    void anythingElseIs500NamingIt() {
        admitFails = new IllegalStateException("a bug");

        HttpAnswer answer = events().answer(post("Bearer k")).join();

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body()).contains("internal error: java.lang.IllegalStateException: a bug");
        assertThat(answered("failed")).isEqualTo(1);
    }

    @Test
    void aPublishThatThrowsAtOnceIsAnsweredAsTheRouteAnswersIt() {
        RuntimeException[] thrown = {new org.springframework.amqp.AmqpConnectException(new java.net.ConnectException("refused")),
            new RefusedException(Refusal.PUBLISH_FAILED, "outcome unknown: channel closed")};
        List<HttpAnswer> answers = new ArrayList<>();
        for (RuntimeException failure : thrown) {
            answers.add(new HttpEvents(presented -> "sha", (routingKey, contentType, messageId, body) -> {
                read = Envelope.event(MessageIds.next(), 1L, "application/json", routingKey, body);
                return read;
            }, (key, source, event) -> event, (admitted, order) -> {
                throw failure;
            }, meters).answer(post("Bearer k")).join());
        }

        // the broker unreachable before the publish: outcome unknown, the client resends as it sent
        assertThat(answers.get(0).status()).isEqualTo(503);
        assertThat(answers.get(0).body()).contains("outcome unknown").doesNotContain("messageId");
        // a refusal of the publish names the id to resend with, as on a late nack
        assertThat(answers.get(1).status()).isEqualTo(503);
        assertThat(answers.get(1).body()).endsWith(",\"messageId\":\"" + read.messageId() + "\"}");
        assertThat(answered("failed")).isEqualTo(2);
    }
}
