package io.gamewire.bus;

import com.rabbitmq.client.AMQP;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MalformedFrameException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Encodes envelopes and publishes them to the events exchange (dead letters to the dead-letter
 * exchange), confirmed ({@link ConfirmingPublisher}).
 */
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
        return publish(exchange, event, BusMessages.event(event.messageId(), event.timestamp()));
    }

    /**
     * Publishes an EVENT persistently to the dead-letter exchange instead, with the dead-letter
     * headers ({@link io.gamewire.sinks.DeadLetters#headers}), under its own routing key so it
     * reaches its service's {@code .dlq}: an event refused for good before it reached its queue.
     * Replaying it from there publishes the same bytes to the events exchange.
     */
    public CompletableFuture<Void> publishDeadLetter(Envelope event, String deadLetterExchange,
                                                     Map<String, Object> headers) {
        return publish(deadLetterExchange, event, BusMessages.event(event.messageId(), event.timestamp(), headers));
    }

    /** Publishes a REQUEST, to be answered on {@code replyTo}. */
    public CompletableFuture<Void> publishRequest(Envelope request, String replyTo) {
        return publish(exchange, request, BusMessages.request(request.messageId(), request.timestamp(), replyTo));
    }

    private CompletableFuture<Void> publish(String to, Envelope envelope, AMQP.BasicProperties properties) {
        byte[] body;
        try {
            body = codec.encode(envelope);
        } catch (MalformedFrameException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publisher.publish(to, envelope.routingKey(), properties, body);
    }

    public ConfirmingPublisher publisher() {
        return publisher;
    }

    public EnvelopeCodec codec() {
        return codec;
    }
}
