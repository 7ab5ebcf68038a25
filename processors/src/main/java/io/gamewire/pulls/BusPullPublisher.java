package io.gamewire.pulls;

import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.ingest.EventAdmission;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Puts a pulled item on the bus as an EVENT, as the translators do: the routing key must be a
 * command of a loaded title file, the payload must pass the command's schema (a refusal is an
 * {@link ItemRefusedException} naming the field), and the future completes when the broker
 * confirmed it. The message id is named by title, pull and item id ({@link
 * PulledItem#messageId()}), so the same item published twice is stored once. The item id travels
 * in the {@code gw-pull-item} attribute, for tracing an event back to the publisher; {@code gw-source}
 * is {@code pull} (attribute and AMQP header, {@link EventSource}). A run's items are published in
 * one {@link PublishOrder}, so the broker receives them in the run's order.
 *
 * <p>A refused item is dead-lettered as the consumers do it ({@link DeadLetters}): the same event,
 * with the dead-letter headers, to the dead-letter exchange under its routing key, so it lands in
 * its service's {@code .dlq} and the admin API lists and replays it like any other.
 */
public final class BusPullPublisher implements PullPublisher {

    /** Envelope attribute: the publisher's id of the item the event came from. */
    public static final String ITEM_ATTRIBUTE = "gw-pull-item";

    private final EnvelopePublisher envelopes;
    private final Supplier<TitleRegistry> titles;
    private final JsonPayloads payloads;
    private final String deadLetterExchange;

    /**
     * @param titles             the title registry, looked up per item: it is made after the pulls' deployer
     * @param deadLetterExchange where refused items go ({@code gamewire.bus.dead-letter-exchange})
     */
    public BusPullPublisher(EnvelopePublisher envelopes, Supplier<TitleRegistry> titles, JsonPayloads payloads,
                            String deadLetterExchange) {
        this.envelopes = envelopes;
        this.titles = titles;
        this.payloads = payloads;
        this.deadLetterExchange = deadLetterExchange;
    }

    @Override
    public PublishOrder openOrder() {
        return envelopes.openOrder();
    }

    @Override
    public CompletableFuture<Void> publish(PulledItem item, PublishOrder order) {
        String routingKey = item.routingKey();
        CommandDefinition command = titles.get().command(RoutingKey.parse(routingKey))
                .orElseThrow(() -> new IllegalArgumentException("no title file defines " + routingKey));
        if (command.schema() != null) {
            try {
                payloads.check(ByteBuffer.wrap(item.payload()), command.schema(), "schema of " + routingKey);
            } catch (RefusedException e) {
                throw new ItemRefusedException(e.getMessage(), e);
            }
        }
        return envelopes.publishEvent(event(item, System.currentTimeMillis()), order);
    }

    @Override
    public CompletableFuture<Void> deadLetter(PulledItem item, String reason) {
        long now = System.currentTimeMillis();
        String serviceQueue = RoutingKey.parse(item.routingKey()).serviceKey();
        Map<String, Object> headers = DeadLetters.headers(reason, ItemRefusedException.class.getName(), 1,
                serviceQueue, now, now);
        return envelopes.publishDeadLetter(event(item, now), deadLetterExchange, headers);
    }

    private static Envelope event(PulledItem item, long now) {
        Map<String, String> attributes = EventSource.PULL.stamp(
                EventAdmission.withReceivedAt(Map.of(ITEM_ATTRIBUTE, item.id()), now));
        return new Envelope(FrameType.EVENT, item.messageId(), null, now, "application/json", item.routingKey(),
                attributes, ByteBuffer.wrap(item.payload()));
    }
}
