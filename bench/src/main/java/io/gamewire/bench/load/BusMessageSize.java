package io.gamewire.bench.load;

import io.gamewire.bus.EventSource;
import io.gamewire.ingest.BusGateway;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.MessageIds;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The size of the AMQP message body gamewire publishes for one event of the load: the GWP frame
 * with the fields its ingest sets (message id, timestamp, content type, routing key) and the
 * attributes its admission stamps ({@code gw-received-at}, and {@code gw-source} of an HTTP event:
 * {@link BusGateway#stamped}; a TCP event's is one byte shorter). A broker-only benchmark that is to
 * be compared with gamewire sends messages of this size. Before 2026-12-07 (evening) it left
 * {@code gw-source} out, 16 B less.
 */
final class BusMessageSize {

    private BusMessageSize() {
    }

    static int of(String routingKey, int payloadBytes) throws MalformedFrameException {
        long now = System.currentTimeMillis();
        Envelope event = new Envelope(FrameType.EVENT, MessageIds.at(now), null, now, "application/json", routingKey,
                Map.of(), ByteBuffer.wrap(new byte[payloadBytes]));
        return new EnvelopeCodec().encodedLength(BusGateway.stamped(event, EventSource.HTTP));
    }
}
