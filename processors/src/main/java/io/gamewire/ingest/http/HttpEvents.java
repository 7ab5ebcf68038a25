package io.gamewire.ingest.http;

import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.EventPathSteps;
import io.gamewire.protocol.Envelope;
import io.gamewire.titles.TitleRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * One event of {@code POST /v1/events/{routingKey}} served without a Camel exchange: the steps of
 * the route {@code http-ingest-event} (read the event, {@code admit}, {@code publishAndConfirm},
 * answer 202), with the answers {@link HttpProblems} gives its failures there, as plain calls.
 *
 * <p>Why single events leave the route when they can: a profile of single-event HTTP against a
 * bridge that does only the publish (bench/README.md, "Single-event HTTP against its floor") found
 * about a quarter of gamewire's CPU per request in the exchange's machinery (its creation, unit of
 * work, the reactive executor's hand-overs, the REST binding, the route policy's property names
 * formatted per exchange), as TCP EVENTs had ({@code TcpEvents}). Without it, a third less CPU per
 * request and 1.28 × the requests per second ("Single events without a Camel exchange"). The steps are the shared
 * ones ({@link HttpEventBodies#single}, {@link BusGateway#admit}, {@link BusGateway#publishAdmitted}),
 * so an event posted here is read, checked, stamped and refused exactly as through the route; the
 * route still serves what {@code EventPostsOnEventLoop} does not take (a chunked body, for one).
 *
 * <p>What the route's metrics gave for these events, the meter {@value #METER} gives: a timer per
 * answer ({@code answer=accepted}, {@code refused} for a 4xx, {@code failed} for a 5xx) of the time
 * from the whole body to the answer.
 */
public final class HttpEvents {

    /** The meter of single events answered and how long each took. */
    public static final String METER = "gamewire.http.events";

    /** What the request gave: its {@code Authorization}, routing key, {@code Content-Type}, {@code Gw-Message-Id} and body. */
    public record Request(String authorization, String routingKey, String contentType, String messageId, byte[] body) {

        /** Without the {@code Authorization} (the API key never goes to a log) and the body. */
        @Override
        public String toString() {
            return "POST of an event to " + routingKey + " (" + contentType + ", " + body.length + " bytes, message id "
                    + messageId + ")";
        }
    }

    /** The step that reads the body into the EVENT envelope ({@link HttpEventBodies#single}). */
    @FunctionalInterface
    interface Read {
        Envelope read(String routingKey, String contentType, String givenMessageId, byte[] body);
    }

    private final UnaryOperator<String> keySha256;
    private final Read read;
    private final EventPathSteps.Admit admit;
    private final EventPathSteps.Publish publish;
    private final HttpAnswerTimers timers;

    public HttpEvents(TitleRegistry titles, HttpEventBodies bodies, BusGateway gateway, MeterRegistry meters) {
        // the ring of the moment: a key removed from its title file stops working at once
        this(presented -> titles.keys().sha256OfPresented(presented), bodies::single, gateway::admit,
                gateway::publishAdmitted, meters);
    }

    HttpEvents(UnaryOperator<String> keySha256, Read read, EventPathSteps.Admit admit,
               EventPathSteps.Publish publish, MeterRegistry meters) {
        this.keySha256 = keySha256;
        this.read = read;
        this.admit = admit;
        this.publish = publish;
        this.timers = new HttpAnswerTimers(meters, METER, 202, "accepted",
                "single events posted over HTTP and answered 202 (the broker"
                + " confirmed them), and the time from the whole body to the answer",
                "single events posted over HTTP and refused (4xx: the key, the"
                + " routing key, the payload, a rate limit), and the time from the whole body to the answer",
                "single events posted over HTTP and answered 5xx (the broker did not"
                + " confirm them: outcome unknown; or gamewire could not serve them), and the time from the whole body"
                + " to the answer");
    }

    /** The body of a 202: the confirmed event's message id (a UUID: nothing in it needs escaping). */
    public static String acceptedBody(UUID messageId) {
        return "{\"messageId\":\"" + messageId + "\"}";
    }

    /**
     * Reads, admits and publishes the event of {@code request}.
     *
     * @return completes with the answer: 202 once the broker confirmed the event, else the problem
     *         {@link HttpProblems#of} names; never completes exceptionally
     */
    public CompletableFuture<HttpAnswer> answer(Request request) {
        long start = System.nanoTime();
        Envelope admitted = null;
        try {
            String key = BearerAuthorization.presentedKey(request.authorization());
            Envelope event = read.read(request.routingKey(), request.contentType(), request.messageId(), request.body());
            admitted = admit.admit(key == null ? null : keySha256.apply(key), EventSource.HTTP, event);
            Envelope published = admitted;
            return publish.publish(published, PublishOrder.NONE).handle((confirmed, failure) -> timers.timed(start,
                    failure == null ? new HttpAnswer(202, acceptedBody(published.messageId()), Map.of())
                            : HttpProblems.of(FutureProcessor.unwrap(failure), published)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(timers.timed(start, HttpProblems.of(e, admitted)));
        }
    }
}
