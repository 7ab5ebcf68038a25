package io.gamewire.ingest;

import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.bus.RequestFailedException;
import io.gamewire.bus.RequestReplyClient;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What every translator (TCP, HTTP) does with a client's envelope: check it
 * ({@link EventAdmission}), stamp it with the time gamewire received it, and put it on the bus: an
 * EVENT published and confirmed, a REQUEST sent and its REPLY awaited. Every failure comes back as
 * a {@link RefusedException}, which each translator answers in its own terms (HTTP status, GWP
 * error code).
 */
public final class BusGateway {

    private final EventAdmission admission;
    private final EnvelopePublisher publisher;
    private final RequestReplyClient requests;
    private final Duration requestTimeout;

    public BusGateway(EventAdmission admission, EnvelopePublisher publisher, RequestReplyClient requests,
                      Duration requestTimeout) {
        this.admission = admission;
        this.publisher = publisher;
        this.requests = requests;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Checks and publishes one EVENT: {@link #admit} then {@link #publishAdmitted}.
     *
     * @param keySha256 SHA-256 of the client's API key, null when it gave none
     * @return completes once the broker confirmed the event
     */
    public CompletableFuture<Void> publish(String keySha256, Envelope event) {
        return publishAdmitted(admit(keySha256, require(event, FrameType.EVENT)));
    }

    /**
     * Checks one REQUEST and sends it over the bus: {@link #admit} then {@link #requestAdmitted}.
     *
     * @return the REPLY; fails with {@link Refusal#REQUEST_TIMEOUT} when none comes in time
     */
    public CompletableFuture<Envelope> request(String keySha256, Envelope request) {
        return requestAdmitted(admit(keySha256, require(request, FrameType.REQUEST)));
    }

    /**
     * The step {@code admit}: checks an EVENT (publish access) or a REQUEST (query access) and
     * returns it stamped with the time gamewire received it.
     *
     * @throws RefusedException naming what was wrong
     */
    public Envelope admit(String keySha256, Envelope envelope) {
        Access access = envelope.type() == FrameType.REQUEST ? Access.QUERY : Access.PUBLISH;
        admission.admit(keySha256, envelope.routingKey(), access, envelope.contentType(), envelope.payload());
        return stamped(envelope);
    }

    /** The step {@code publish-and-confirm}: publishes an admitted EVENT; completes on the broker's confirm. */
    public CompletableFuture<Void> publishAdmitted(Envelope event) {
        return publisher.publishEvent(require(event, FrameType.EVENT)).exceptionally(failure -> {
            throw new RefusedException(Refusal.PUBLISH_FAILED, "the event was not accepted: the message broker was "
                    + "unreachable or did not confirm it (" + FutureProcessor.unwrap(failure).getMessage()
                    + "); nothing was stored, retry later", 0, failure);
        });
    }

    /** The step {@code request-and-await-reply}: sends an admitted REQUEST; completes with its REPLY. */
    public CompletableFuture<Envelope> requestAdmitted(Envelope request) {
        return requests.request(require(request, FrameType.REQUEST), requestTimeout).exceptionally(failure -> {
            throw refusal(FutureProcessor.unwrap(failure));
        });
    }

    private static Envelope require(Envelope envelope, FrameType type) {
        if (envelope.type() != type) {
            throw new IllegalArgumentException("not " + (type == FrameType.EVENT ? "an " : "a ") + type + ": "
                    + envelope.type());
        }
        return envelope;
    }

    /** The translators' terms for why a request got no reply. */
    private static RuntimeException refusal(Throwable failure) {
        if (!(failure instanceof RequestFailedException failed)) {
            return failure instanceof RuntimeException runtime ? runtime
                    : new RefusedException(Refusal.PUBLISH_FAILED, failure.getMessage(), 0, failure);
        }
        Refusal refusal = switch (failed.reason()) {
            case NOT_PUBLISHED -> Refusal.PUBLISH_FAILED;
            case OVERLOADED -> Refusal.OVERLOADED;
            case DUPLICATE_ID -> Refusal.INVALID_EVENT;
            case TIMEOUT -> Refusal.REQUEST_TIMEOUT;
        };
        return new RefusedException(refusal, failed.getMessage(), 0, failed);
    }

    private static Envelope stamped(Envelope envelope) {
        return new Envelope(envelope.type(), envelope.messageId(), envelope.correlationId(), envelope.timestamp(),
                envelope.contentType(), envelope.routingKey(),
                EventAdmission.withReceivedAt(envelope.attributes(), System.currentTimeMillis()), envelope.payload());
    }
}
