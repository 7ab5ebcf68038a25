package io.gamewire.bus;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MalformedFrameException;
import java.util.concurrent.CompletableFuture;

/** Encodes envelopes and publishes them to the events exchange, confirmed ({@link ConfirmingPublisher}). */
public final class EnvelopePublisher {

    private final ConfirmingPublisher publisher;
    private final String exchange;
    private final EnvelopeCodec codec;

    /**
     * @param codec with the bus limits ({@link BusMessages#busLimits})
     */
    public EnvelopePublisher(ConfirmingPublisher publisher, String exchange, EnvelopeCodec codec) {
        this.publisher = publisher;
        this.exchange = exchange;
        this.codec = codec;
    }

    /** Publishes an EVENT persistently; completes when the broker confirmed it. */
    public CompletableFuture<Void> publishEvent(Envelope event) {
        byte[] body;
        try {
            body = codec.encode(event);
        } catch (MalformedFrameException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publisher.publish(exchange, event.routingKey(), BusMessages.event(event.messageId(), event.timestamp()),
                body);
    }

    /** Publishes a REQUEST, to be answered on {@code replyTo}. */
    public CompletableFuture<Void> publishRequest(Envelope request, String replyTo) {
        byte[] body;
        try {
            body = codec.encode(request);
        } catch (MalformedFrameException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publisher.publish(exchange, request.routingKey(),
                BusMessages.request(request.messageId(), request.timestamp(), replyTo), body);
    }

    public ConfirmingPublisher publisher() {
        return publisher;
    }

    public EnvelopeCodec codec() {
        return codec;
    }
}
