package io.gamewire.monitor.tail;

/**
 * A message as the tail's consumer received it, kept as it came until the client's side takes it:
 * whether it came through the dead-letter exchange, its routing key, its AMQP message id (null:
 * none) and its body. Nothing is decoded on the consumer's thread; {@link TailEvents#frame} turns
 * only the deliveries actually written into SSE frames.
 */
record TailDelivery(boolean deadLetter, String routingKey, String messageId, byte[] body) {

    /** What a delivery costs beyond its body: the record, the array header and the two strings' headers. */
    private static final long OVERHEAD = 96;

    /**
     * The bytes it holds, for the buffer's byte limit: the body, the routing key and message id (as
     * characters; they are ASCII in practice) and a fixed overhead for the objects.
     */
    long size() {
        return body.length + OVERHEAD + routingKey.length() + (messageId == null ? 0 : messageId.length());
    }
}
