package io.gamewire.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyRateLimitsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final KeyRateLimits limits = new KeyRateLimits(now::get);

    @Test
    void aKeyMayBurstUpToItsRateThenWaits() {
        for (int i = 0; i < 5; i++) {
            assertThat(limits.acquire("halo/servers", 5)).as("event %d", i).isZero();
        }
        assertThat(limits.acquire("halo/servers", 5)).isEqualTo(1);
    }

    @Test
    void tokensComeBackAtTheRate() {
        for (int i = 0; i < 10; i++) {
            limits.acquire("k", 10);
        }
        assertThat(limits.acquire("k", 10)).isPositive();

        now.addAndGet(100_000_000L); // 0.1 s at 10/s: one token
        assertThat(limits.acquire("k", 10)).isZero();
        assertThat(limits.acquire("k", 10)).isPositive();
    }

    @Test
    void keysHaveBucketsOfTheirOwnAndZeroMeansNoLimit() {
        limits.acquire("a", 1);
        assertThat(limits.acquire("a", 1)).isPositive();
        assertThat(limits.acquire("b", 1)).isZero();
        for (int i = 0; i < 1000; i++) {
            assertThat(limits.acquire("c", 0)).isZero();
        }
    }

    @Test
    void aLongPauseRefillsNoMoreThanOneSecondsWorth() {
        now.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.acquire("k", 3)).isZero();
        }
        assertThat(limits.acquire("k", 3)).isPositive();
    }

    @Test
    void theWaitIsTheWholeSecondsUntilTheNextToken() {
        limits.acquire("k", 1);
        assertThat(limits.acquire("k", 1)).isEqualTo(1);
        now.addAndGet(999_000_000L);
        assertThat(limits.acquire("k", 1)).as("a millisecond to go is still a second").isEqualTo(1);
        now.addAndGet(1_000_000L);
        assertThat(limits.acquire("k", 1)).isZero();
    }

    @Test
    void aRaisedRateHoldsFromTheNextEvent() {
        for (int i = 0; i < 2; i++) {
            limits.acquire("k", 2);
        }
        assertThat(limits.acquire("k", 2)).isPositive();

        // the title file now says 10/s: the tokens left are kept (none), refilled at the new rate
        assertThat(limits.acquire("k", 10)).isPositive();
        now.addAndGet(100_000_000L); // 0.1 s: one token at 10/s, a fifth of one at 2/s
        assertThat(limits.acquire("k", 10)).isZero();
        assertThat(limits.acquire("k", 10)).isPositive();
        now.addAndGet(1_000_000_000L);
        for (int i = 0; i < 10; i++) {
            assertThat(limits.acquire("k", 10)).as("event %d at the new rate", i).isZero();
        }
        assertThat(limits.acquire("k", 10)).isPositive();
    }

    @Test
    void aLoweredRateCapsTheTokensLeft() {
        assertThat(limits.acquire("k", 100)).isZero();
        // 99 tokens left at 100/s; at 3/s the bucket holds 3 at most
        for (int i = 0; i < 3; i++) {
            assertThat(limits.acquire("k", 3)).as("event %d at the lowered rate", i).isZero();
        }
        assertThat(limits.acquire("k", 3)).isPositive();
    }

    @Test
    void aForgottenBucketIsAFullOne() {
        for (int i = 0; i < 4; i++) {
            limits.acquire("k", 4);
        }
        assertThat(limits.acquire("k", 4)).isPositive();
        now.addAndGet(5_000_000_000L);
        for (int i = 0; i < 4; i++) {
            assertThat(limits.acquire("k", 4)).as("event %d after a pause", i).isZero();
        }
        assertThat(limits.acquire("k", 4)).isPositive();
    }
}
