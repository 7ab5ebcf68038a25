package io.gamewire.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DelayHistogramTest {

    @Test
    void everyDelayFromOneMillisecondToSeventyMinutesReadsBackWithinNinePointOnePercent() {
        for (long delay = 1; delay < (1L << 22); delay = delay * 11 / 10 + 1) {
            double read = DelayHistogram.middle(DelayHistogram.bucket(delay));
            assertThat(Math.abs(read - delay) / delay).as("delay %d ms read as %.2f", delay, read).isLessThan(0.0906);
        }
    }

    @Test
    void powersOfTwoStartTheirOwnBucketAndTheEndsAreCapped() {
        assertThat(DelayHistogram.bucket(0)).isZero();
        assertThat(DelayHistogram.bucket(1)).isEqualTo(1);
        assertThat(DelayHistogram.bucket(8)).isEqualTo(1 + 12);
        assertThat(DelayHistogram.bucket(7)).isEqualTo(1 + 11);
        assertThat(DelayHistogram.bucket(Long.MAX_VALUE)).isEqualTo(DelayHistogram.BUCKETS - 1);
    }
}
