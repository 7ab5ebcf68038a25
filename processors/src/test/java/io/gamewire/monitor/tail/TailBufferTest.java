package io.gamewire.monitor.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TailBufferTest {

    /** A delivery of {@code bodyBytes} bytes with the message id {@code id}. */
    private static TailDelivery delivery(String id, int bodyBytes) {
        return new TailDelivery(false, "halo.prod.stats.match_end", id, new byte[bodyBytes]);
    }

    @Test
    void deliveriesComeOutOldestFirstAsTheyCame() {
        TailBuffer buffer = new TailBuffer(10, 100_000);
        TailDelivery a = delivery("a", 10);
        TailDelivery b = delivery("b", 10);
        assertThat(buffer.add(a)).isTrue();
        assertThat(buffer.add(b)).isFalse();
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 0, a));
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 0, b));
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 0, null));
    }

    @Test
    void overTheEventLimitTheOldestAreDroppedAndCountedOnce() {
        TailBuffer buffer = new TailBuffer(3, 100_000);
        TailDelivery[] sent = new TailDelivery[8];
        for (int i = 0; i < 5; i++) {
            sent[i] = delivery(String.valueOf(i), 1);
            buffer.add(sent[i]);
            assertThat(buffer.size()).isLessThanOrEqualTo(3);
        }
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(2, 2, sent[2]));
        // the count since the last take starts again; the total stays
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 2, sent[3]));
        for (int i = 5; i < 8; i++) {
            sent[i] = delivery(String.valueOf(i), 1);
            buffer.add(sent[i]);
        }
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(1, 3, sent[5]));
    }

    @Test
    void theBodiesBytesCountTowardsTheByteLimitAndATooLargeDeliveryIsDroppedItself() {
        long one = delivery("a", 1000).size();
        assertThat(one).as("the body's bytes and the routing key, the id and the objects' overhead")
                .isEqualTo(1000 + "halo.prod.stats.match_end".length() + 1 + 96);
        TailBuffer buffer = new TailBuffer(100, 2 * one + 10);
        TailDelivery a = delivery("a", 1000);
        TailDelivery b = delivery("b", 1000);
        TailDelivery c = delivery("c", 1000);
        buffer.add(a);
        buffer.add(b);
        buffer.add(c);
        assertThat(buffer.bytes()).isEqualTo(2 * one);
        buffer.add(delivery("x", 3000));
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(2, 2, b));
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 2, c));
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void aBufferHoldsAtLeastOneEvent() {
        assertThatThrownBy(() -> new TailBuffer(0, 10)).hasMessageContaining("0 events");
    }
}
