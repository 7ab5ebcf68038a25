package io.gamewire.bench.load;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The size of the AMQP message body gamewire publishes for one event of the load: the GWP frame
 * with the fields its ingest sets (message id, timestamp, content type, routing key and the
 * received-at attribute). A broker-only benchmark that is to be compared with gamewire sends
 * messages of this size.
 */
final class BusMessageSize {

    private BusMessageSize() {
    }

    static int of(String routingKey, int payloadBytes) throws MalformedFrameException {
        long now = System.currentTimeMillis();
        Envelope event = new Envelope(FrameType.EVENT, MessageIds.at(now), null, now, "application/json", routingKey,
                Map.of(ReservedAttributes.RECEIVED_AT, Long.toString(now)), ByteBuffer.wrap(new byte[payloadBytes]));
        return new EnvelopeCodec().encodedLength(event);
    }
}
