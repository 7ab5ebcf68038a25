package io.gamewire.ingest;

import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.bus.RequestFailedException;
import io.gamewire.bus.RequestReplyClient;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every translator (TCP, HTTP) does with a client's envelope: check it
 * ({@link EventAdmission}; a client may not set {@code gw-} attributes itself), stamp it with the
 * time gamewire received it and the translator it came through ({@code gw-received-at},
 * {@code gw-source}), and put it on the bus: an EVENT published and confirmed (its source repeated
 * as an AMQP header), a REQUEST sent and its REPLY awaited. Every failure comes back as a
 * {@link RefusedException}, which each translator answers in its own terms (HTTP status, GWP
 * error code), and is told to the {@link #onRefusal} listeners (the operations' statistics).
 */
public final class BusGateway {

    private static final Logger LOG = LoggerFactory.getLogger(BusGateway.class);

    /** Told of every refusal of an envelope that reached the gateway, on the thread that refused it. */
    @FunctionalInterface
    public interface RefusalListener {
        /** @param routingKey as the client sent it (perhaps no valid routing key at all) */
        void refused(String routingKey, Refusal refusal);
    }

    private final List<RefusalListener> refusalListeners = new CopyOnWriteArrayList<>();

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

    /** Adds a listener told of every refusal from now on (the statistics of the operations area). */
    public void onRefusal(RefusalListener listener) {
        refusalListeners.add(listener);
    }

    /**
     * Checks and publishes one EVENT: {@link #admit} then {@link #publishAdmitted}.
     *
     * @param keySha256 SHA-256 of the client's API key, null when it gave none
     * @param source    the translator it came through
     * @param order     the order the source's events keep on the bus (an HTTP batch's), or
     *                  {@link PublishOrder#NONE}
     * @return completes once the broker confirmed the event
     */
    public CompletableFuture<Void> publish(String keySha256, EventSource source, Envelope event, PublishOrder order) {
        return publishAdmitted(admit(keySha256, source, require(event, FrameType.EVENT)), order);
    }

    /**
     * A new publish order for a source whose events must reach the broker in the order they are
     * published ({@link io.gamewire.bus.ConfirmingPublisher#openOrder()}); close it when the source
     * ends.
     */
    public PublishOrder openOrder() {
        return publisher.openOrder();
    }

    /**
     * Checks one REQUEST and sends it over the bus: {@link #admit} then {@link #requestAdmitted}.
     *
     * @return the REPLY; fails with {@link Refusal#REQUEST_TIMEOUT} when none comes in time
     */
    public CompletableFuture<Envelope> request(String keySha256, EventSource source, Envelope request) {
        return requestAdmitted(admit(keySha256, source, require(request, FrameType.REQUEST)));
    }

    /**
     * The step {@code admit}: checks an EVENT (publish access) or a REQUEST (query access) and
     * returns it stamped with the time gamewire received it and the translator it came through.
     *
     * @param source the translator ({@link EventSource#HTTP} or {@link EventSource#TCP})
     * @throws RefusedException naming what was wrong
     */
    public Envelope admit(String keySha256, EventSource source, Envelope envelope) {
        Access access = envelope.type() == FrameType.REQUEST ? Access.QUERY : Access.PUBLISH;
        try {
            admission.admit(keySha256, envelope.routingKey(), access, envelope.contentType(), envelope.payload());
            EventAdmission.refuseReservedAttributes(envelope.routingKey(), envelope.attributes());
        } catch (RefusedException e) {
            throw told(envelope.routingKey(), e);
        }
        return stamped(envelope, source);
    }

    /**
     * The step {@code publish-and-confirm}: publishes an admitted EVENT in {@code order} (the broker
     * receives the events of one order in the order they are published here; {@link PublishOrder#NONE}
     * for none); completes on the broker's confirm.
     */
    public CompletableFuture<Void> publishAdmitted(Envelope event, PublishOrder order) {
        return publisher.publishEvent(require(event, FrameType.EVENT), order).exceptionally(failure -> {
            throw told(event.routingKey(), new RefusedException(Refusal.PUBLISH_FAILED,
                    outcomeUnknown(FutureProcessor.unwrap(failure).getMessage()), 0, failure));
        });
    }

    /**
     * Why a publish was not confirmed, for the client: a confirm that timed out, a channel that
     * closed or a nack cannot say whether the broker routed the event (the 206 case of
     * PROTOCOL.md), so the client must resend with the same message id; the sinks store a message
     * id once ({@code SinkBatchWriter}), which makes the resend safe.
     */
    public static String outcomeUnknown(String why) {
        return "outcome unknown: the message broker was unreachable or did not confirm the event (" + why
                + "); it may have been stored: resend it with the same message id, which is stored once";
    }

    /** The step {@code request-and-await-reply}: sends an admitted REQUEST; completes with its REPLY. */
    public CompletableFuture<Envelope> requestAdmitted(Envelope request) {
        return requests.request(require(request, FrameType.REQUEST), requestTimeout).exceptionally(failure -> {
            RuntimeException refusal = refusal(FutureProcessor.unwrap(failure));
            throw refusal instanceof RefusedException refused ? told(request.routingKey(), refused) : refusal;
        });
    }

    /** Tells the listeners; a listener that fails must not change the client's answer. */
    private RefusedException told(String routingKey, RefusedException refusal) {
        for (RefusalListener listener : refusalListeners) {
            try {
                listener.refused(routingKey, refusal.refusal());
            } catch (RuntimeException e) {
                LOG.warn("A refusal listener failed: {}", e.toString());
            }
        }
        return refusal;
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

    /**
     * The envelope as {@link #admit} passes it on: stamped with the time gamewire received it
     * ({@code gw-received-at}) and the translator it came through ({@code gw-source}). Public for
     * the benchmarks' floor bridges, which publish gamewire's message (bench/README.md).
     */
    public static Envelope stamped(Envelope envelope, EventSource source) {
        return new Envelope(envelope.type(), envelope.messageId(), envelope.correlationId(), envelope.timestamp(),
                envelope.contentType(), envelope.routingKey(),
                source.stamp(EventAdmission.withReceivedAt(envelope.attributes(), System.currentTimeMillis())),
                envelope.payload());
    }
}
