package io.gamewire.pulls;

import io.gamewire.protocol.MessageIds;
import java.util.UUID;

/**
 * One new item of a pull, on its way to the bus.
 *
 * @param title      the title whose pull read it
 * @param pull       the pull's name
 * @param routingKey the pull's {@code emit.routing-key}
 * @param payload    the item's value at {@code emit.payload}, as JSON
 * @param id         the item's {@code emit.id}, as text
 */
public record PulledItem(String title, String pull, String routingKey, byte[] payload, String id) {

    /**
     * The event's message id, named by title, pull and item id ({@link MessageIds#named}): an item
     * published again — after a restart emptied the dedupe, after its id expired from it, or by
     * another instance — has the id it had before, and the sinks store it once.
     */
    public UUID messageId() {
        return MessageIds.named("pull", title, pull, id);
    }
}
