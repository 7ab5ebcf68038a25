package io.gamewire.bus;

import com.rabbitmq.client.AMQP;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.ReservedAttributes;
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

    /**
     * Publishes an EVENT persistently; completes when the broker confirmed it. Its {@code gw-source}
     * attribute, when it has one, is repeated as the AMQP header {@link BusMessages#SOURCE_HEADER}.
     */
    public CompletableFuture<Void> publishEvent(Envelope event) {
        return publishEvent(event, PublishOrder.NONE);
    }

    /**
     * Publishes an EVENT as {@link #publishEvent(Envelope)}, in {@code order}: the broker receives it
     * after the events published before in the same order ({@link ConfirmingPublisher#openOrder()}).
     */
    public CompletableFuture<Void> publishEvent(Envelope event, PublishOrder order) {
        EventSource source = EventSource.of(event.attributes().get(ReservedAttributes.SOURCE));
        return publish(order, exchange, event, BusMessages.event(event.messageId(), event.timestamp(), source));
    }

    /**
     * The way to publish an event gamewire makes or takes in: stamps {@code source} on it (the
     * attribute {@code gw-source}, stored with the event, replacing any) and repeats it as the AMQP
     * header, then publishes as {@link #publishEvent(Envelope)}.
     */
    public CompletableFuture<Void> publishEvent(Envelope event, EventSource source) {
        return publishEvent(source.stamp(event));
    }

    /**
     * Publishes an EVENT persistently to the dead-letter exchange instead, with the dead-letter
     * headers ({@link io.gamewire.sinks.DeadLetters#headers}), under its own routing key so it
     * reaches its service's {@code .dlq}: an event refused for good before it reached its queue.
     * Replaying it from there publishes the same bytes to the events exchange.
     */
    public CompletableFuture<Void> publishDeadLetter(Envelope event, String deadLetterExchange,
                                                     Map<String, Object> headers) {
        Object source = event.attributes().get(ReservedAttributes.SOURCE);
        if (source != null && !headers.containsKey(BusMessages.SOURCE_HEADER)) {
            headers = new java.util.LinkedHashMap<>(headers);
            headers.put(BusMessages.SOURCE_HEADER, source);
        }
        return publish(PublishOrder.NONE, deadLetterExchange, event,
                BusMessages.event(event.messageId(), event.timestamp(), headers));
    }

    /** Publishes a REQUEST, to be answered on {@code replyTo}. */
    public CompletableFuture<Void> publishRequest(Envelope request, String replyTo) {
        return publish(PublishOrder.NONE, exchange, request,
                BusMessages.request(request.messageId(), request.timestamp(), replyTo));
    }

    /** A new order for one source's events ({@link ConfirmingPublisher#openOrder()}); close it when the source ends. */
    public PublishOrder openOrder() {
        return publisher.openOrder();
    }

    private CompletableFuture<Void> publish(PublishOrder order, String to, Envelope envelope,
                                            AMQP.BasicProperties properties) {
        byte[] body;
        try {
            body = codec.encode(envelope);
        } catch (MalformedFrameException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publisher.publish(order, to, envelope.routingKey(), properties, body);
    }

    public ConfirmingPublisher publisher() {
        return publisher;
    }

    public EnvelopeCodec codec() {
        return codec;
    }
}
