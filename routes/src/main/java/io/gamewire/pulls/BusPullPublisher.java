package io.gamewire.pulls;

import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.ingest.EventAdmission;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Puts a pulled item on the bus as an EVENT, as the translators do: the routing key must be a
 * command of a loaded title file, the payload must pass the command's schema (a refusal fails
 * this item, naming the field), and the future completes when the broker confirmed it. The
 * message id is named by title, pull and item id ({@link PulledItem#messageId()}), so the same item
 * published twice is stored once. The item id travels in the {@code gw-pull-item} attribute, for
 * tracing an event back to the publisher.
 */
public final class BusPullPublisher implements PullPublisher {

    /** Envelope attribute: the publisher's id of the item the event came from. */
    public static final String ITEM_ATTRIBUTE = "gw-pull-item";

    private final EnvelopePublisher envelopes;
    private final Supplier<TitleRegistry> titles;
    private final JsonPayloads payloads;

    /** @param titles the title registry, looked up per item: it is made after the pulls' deployer */
    public BusPullPublisher(EnvelopePublisher envelopes, Supplier<TitleRegistry> titles, JsonPayloads payloads) {
        this.envelopes = envelopes;
        this.titles = titles;
        this.payloads = payloads;
    }

    @Override
    public CompletableFuture<Void> publish(PulledItem item) {
        String routingKey = item.routingKey();
        RoutingKey key = RoutingKey.parse(routingKey);
        CommandDefinition command = titles.get().command(key).orElseThrow(() -> new IllegalArgumentException(
                "no title file defines " + routingKey));
        if (command.schema() != null) {
            payloads.check(ByteBuffer.wrap(item.payload()), command.schema(), "schema of " + routingKey);
        }
        long now = System.currentTimeMillis();
        Envelope event = Envelope.event(item.messageId(), now, "application/json", routingKey, item.payload());
        Map<String, String> attributes = EventAdmission.withReceivedAt(Map.of(ITEM_ATTRIBUTE, item.id()), now);
        return envelopes.publishEvent(new Envelope(event.type(), event.messageId(), null, now, event.contentType(),
                routingKey, attributes, event.payload()));
    }
}
