package io.gamewire.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.impl.LongStringHelper;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The source travels twice: as the envelope attribute (stored) and as the AMQP header (counted). */
class EventSourceTest {

    @Test
    void stampingSetsTheAttributeAndReplacesAnyOtherSource() {
        Envelope event = Envelope.event(MessageIds.next(), 1L, "application/json", "halo.prod.stats.end",
                "{}".getBytes(StandardCharsets.UTF_8));

        Envelope pulled = EventSource.PULL.stamp(event);
        Envelope replayed = EventSource.CONSOLE.stamp(pulled);

        assertThat(pulled.attributes()).containsEntry(ReservedAttributes.SOURCE, "pull");
        assertThat(replayed.attributes()).containsEntry(ReservedAttributes.SOURCE, "console").hasSize(1);
        assertThat(EventSource.CONSOLE.stamp(replayed)).isSameAs(replayed);
    }

    @Test
    void anEventsAmqpHeaderNamesItsSourceAndIsReadBackAsTheBrokerDeliversIt() {
        Map<String, Object> headers = BusMessages.event(MessageIds.next(), 1L, EventSource.REPLAY).getHeaders();

        assertThat(headers).containsEntry(BusMessages.SOURCE_HEADER, "replay");
        // the AMQP client delivers header strings as LongString
        assertThat(EventSource.of(LongStringHelper.asLongString("replay"))).isEqualTo(EventSource.REPLAY);
        assertThat(EventSource.of("nonsense")).isNull();
        assertThat(EventSource.of(null)).isNull();
        assertThat(BusMessages.event(MessageIds.next(), 1L, (EventSource) null).getHeaders()).isNull();
    }

    @Test
    void theBusLeavesRoomForEveryAttributeGamewireAdds() {
        assertThat(BusMessages.busLimits(new io.gamewire.protocol.GwpLimits(1024, 16, 1024)).maxAttributes())
                .isEqualTo(16 + 3);
    }
}
