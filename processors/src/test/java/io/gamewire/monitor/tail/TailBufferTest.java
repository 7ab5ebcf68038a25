package io.gamewire.monitor.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TailBufferTest {

    @Test
    void framesComeOutOldestFirst() {
        TailBuffer buffer = new TailBuffer(10, 1000);
        assertThat(buffer.add("a")).isTrue();
        assertThat(buffer.add("b")).isFalse();
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 0, "a"));
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 0, "b"));
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 0, null));
    }

    @Test
    void overTheEventLimitTheOldestAreDroppedAndCountedOnce() {
        TailBuffer buffer = new TailBuffer(3, 1000);
        for (String frame : new String[] {"1", "2", "3", "4", "5"}) {
            buffer.add(frame);
            assertThat(buffer.size()).isLessThanOrEqualTo(3);
        }
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(2, 2, "3"));
        // the count since the last take starts again; the total stays
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 2, "4"));
        buffer.add("6");
        buffer.add("7");
        buffer.add("8");
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(1, 3, "6"));
    }

    @Test
    void overTheByteLimitTheOldestAreDroppedAndATooLargeFrameItself() {
        TailBuffer buffer = new TailBuffer(100, 10);
        buffer.add("aaaa");
        buffer.add("bbbb");
        buffer.add("cccc");
        assertThat(buffer.bytes()).isEqualTo(8);
        buffer.add("x".repeat(11));
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(2, 2, "bbbb"));
        assertThat(buffer.take()).isEqualTo(new TailBuffer.Taken(0, 2, "cccc"));
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void aBufferHoldsAtLeastOneEvent() {
        assertThatThrownBy(() -> new TailBuffer(0, 10)).hasMessageContaining("0 events");
    }
}
