package io.gamewire.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelAcksTest {

    /** What went on the wire, as "ack 5", "ack 5+" (multiple) or "requeue 5". */
    private final List<String> frames = new ArrayList<>();
    private final ChannelAcks.Wire wire = new ChannelAcks.Wire() {
        @Override
        public void ack(long deliveryTag, boolean multiple) {
            frames.add("ack " + deliveryTag + (multiple ? "+" : ""));
        }

        @Override
        public void requeue(long deliveryTag) {
            frames.add("requeue " + deliveryTag);
        }
    };

    private ChannelAcks registered(int holdLimit, long... tags) {
        ChannelAcks acks = new ChannelAcks(holdLimit);
        for (long tag : tags) {
            acks.register(tag, wire);
        }
        return acks;
    }

    @Test
    void aDeferredBatchIsOneMultipleAckAtItsEnd() {
        ChannelAcks acks = registered(10, 1, 2, 3, 4);
        for (long tag = 1; tag <= 4; tag++) {
            acks.succeeded(tag, wire, true);
        }
        assertThat(frames).isEmpty();
        acks.flush(wire);
        assertThat(frames).containsExactly("ack 4+");
    }

    @Test
    void withoutDeferringEachCompletionAcksWhatIsDue() {
        ChannelAcks acks = registered(10, 1, 2);
        acks.succeeded(1, wire, false);
        acks.succeeded(2, wire, false);
        assertThat(frames).containsExactly("ack 1+", "ack 2+");
    }

    @Test
    void doneDeliveriesWaitForAnEarlierOneThatIsNotDone() {
        ChannelAcks acks = registered(10, 1, 2, 3);
        acks.succeeded(2, wire, false);
        acks.succeeded(3, wire, false);
        assertThat(frames).as("a multiple ack of 3 would cover 1, which is not done").isEmpty();
        acks.succeeded(1, wire, false);
        assertThat(frames).containsExactly("ack 3+");
    }

    @Test
    void aRequeueGoesAtOnceAloneAndTheAckAfterItNeverNamesIt() {
        ChannelAcks acks = registered(10, 1, 2, 3);
        acks.succeeded(1, wire, true);
        acks.failed(2, wire);
        acks.succeeded(3, wire, true);
        acks.flush(wire);
        assertThat(frames).containsExactly("requeue 2", "ack 1+", "ack 3+");
    }

    @Test
    void aBatchEndingInARequeueAcksUpToTheLastDoneDeliveryBeforeIt() {
        ChannelAcks acks = registered(10, 1, 2);
        acks.succeeded(1, wire, true);
        acks.failed(2, wire);
        assertThat(frames).as("the ack due must name 1, a delivery still unacked, never the requeued 2")
                .containsExactly("requeue 2", "ack 1+");
    }

    @Test
    void pastTheHoldLimitDeliveriesWaitingBehindASlowOneAreAckedAlone() {
        ChannelAcks acks = registered(2, 1, 2, 3, 4, 5);
        acks.succeeded(2, wire, false);
        acks.succeeded(3, wire, false);
        assertThat(frames).isEmpty();
        acks.succeeded(4, wire, false);
        assertThat(frames).as("three wait behind 1, more than the limit of 2").containsExactly("ack 2", "ack 3", "ack 4");
        acks.succeeded(1, wire, false);
        assertThat(frames).as("1 is the last unacked delivery up to 4").endsWith("ack 1+");
        acks.succeeded(5, wire, false);
        assertThat(frames).endsWith("ack 5+");
    }

    @Test
    void aTagOutOfOrderTurnsTheChannelToOneAckPerDeliveryForGood() {
        ChannelAcks acks = registered(10, 1, 2, 3);
        acks.succeeded(1, wire, true);
        acks.succeeded(3, wire, true);
        acks.register(5, wire); // 4 never reached the route: no multiple ack may cover it
        assertThat(frames).containsExactly("ack 1+", "ack 3");
        acks.succeeded(5, wire, true);
        acks.succeeded(2, wire, true);
        acks.register(6, wire);
        acks.succeeded(6, wire, true);
        acks.flush(wire);
        assertThat(frames).containsExactly("ack 1+", "ack 3", "ack 5", "ack 2", "ack 6");
    }

    @Test
    void aChannelWhoseFirstDeliveryIsNotTagOneAcksOneByOne() {
        ChannelAcks acks = registered(10, 7, 8);
        acks.succeeded(7, wire, true);
        acks.succeeded(8, wire, true);
        acks.flush(wire);
        assertThat(frames).containsExactly("ack 7", "ack 8");
    }

    @Test
    void aClosedChannelIsNotAnError() {
        ChannelAcks acks = new ChannelAcks(10);
        ChannelAcks.Wire closed = new ChannelAcks.Wire() {
            @Override
            public void ack(long deliveryTag, boolean multiple) throws IOException {
                throw new IOException("channel closed");
            }

            @Override
            public void requeue(long deliveryTag) throws IOException {
                throw new IOException("channel closed");
            }
        };
        acks.register(1, closed);
        acks.register(2, closed);
        acks.succeeded(1, closed, false);
        acks.failed(2, closed);
        acks.register(3, wire);
        acks.succeeded(3, wire, false);
        assertThat(frames).containsExactly("ack 3+");
    }
}
