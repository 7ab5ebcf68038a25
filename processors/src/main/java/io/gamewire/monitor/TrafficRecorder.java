package io.gamewire.monitor;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import io.gamewire.bus.BusMessages;
import io.gamewire.bus.EventSource;
import io.gamewire.ingest.Refusal;
import io.gamewire.sinks.sql.StoredEvent;
import java.util.Map;

/**
 * The one way in for what the operations count: each figure goes both to the windowed
 * {@link TrafficStats} ({@code GET /v1/admin/stats}) and to the {@link TrafficMeters}
 * ({@code /observe/metrics}). The bus monitor hands it what it delivers ({@link #delivered}: dead
 * letters, and with {@code gamewire.ops.monitor.scope=bus} every message on the events exchange),
 * the publisher what the broker confirmed ({@link #published}, scope {@code instance}); the
 * composition root hands
 * {@link #refused} to the translators' gateway and {@link #stored} to the sink batcher.
 */
public final class TrafficRecorder {

    /** The {@code exchange} tag of messages on the events exchange. */
    public static final String EVENTS = "events";
    /** The {@code exchange} tag of messages on the dead-letter exchange. */
    public static final String DEAD_LETTERS = "dead-letters";

    private final TrafficStats stats;
    private final TrafficMeters meters;

    public TrafficRecorder(TrafficStats stats, TrafficMeters meters) {
        this.stats = stats;
        this.meters = meters;
    }

    /**
     * A message the bus monitor saw, as it came: counted by its routing key and source (the AMQP
     * header {@code gw-source}, read without decoding the frame) and its size.
     */
    public void delivered(Delivery delivery, boolean deadLetter) {
        busMessage(deadLetter, delivery.getEnvelope().getRoutingKey(), delivery.getProperties(),
                delivery.getBody() == null ? 0 : delivery.getBody().length);
    }

    /** A message this instance published to the events exchange and the broker confirmed (scope {@code instance}). */
    public void published(String routingKey, AMQP.BasicProperties properties, long bytes) {
        busMessage(false, routingKey, properties, bytes);
    }

    /**
     * One message on the bus. On the events exchange only events count in the stats; a request (it
     * has a reply-to) is counted on the meters alone.
     *
     * @param deadLetter whether it came from the dead-letter exchange
     */
    private void busMessage(boolean deadLetter, String routingKey, AMQP.BasicProperties properties, long bytes) {
        Map<String, Object> headers = properties.getHeaders();
        EventSource source = headers == null ? null : EventSource.of(headers.get(BusMessages.SOURCE_HEADER));
        meters.busMessage(deadLetter ? DEAD_LETTERS : EVENTS, routingKey, source, bytes);
        if (deadLetter) {
            stats.deadLetter(routingKey);
        } else if (properties.getReplyTo() == null) {
            stats.event(routingKey, source, bytes);
        }
    }

    public void refused(String routingKey, Refusal refusal) {
        stats.refused(routingKey, refusal);
        meters.refused(routingKey, refusal);
    }

    /** An event this instance stored at {@code storedAtMs}: its delay since {@code gw-received-at}. */
    public void stored(StoredEvent event, long storedAtMs) {
        long delay = storedAtMs - event.receivedAtMs();
        String routingKey = event.routingKey().toString();
        stats.stored(routingKey, delay);
        meters.stored(routingKey, delay);
    }

    public TrafficStats stats() {
        return stats;
    }
}
