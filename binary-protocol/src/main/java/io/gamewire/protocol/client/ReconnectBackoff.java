package io.gamewire.protocol.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next connection attempt: {@code initial}, doubled after each failed
 * attempt up to {@code max}, then a random part of it taken off (up to half). The randomness keeps
 * many clients that lost the same server from all reconnecting at the same instant.
 */
record ReconnectBackoff(Duration initial, Duration max) {

    ReconnectBackoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("reconnectBackoff needs 0 < initial <= max, was initial " + initial
                    + ", max " + max);
        }
    }

    /** The delay before the next attempt after {@code failedAttempts} failed ones in a row. */
    Duration delay(int failedAttempts) {
        long ceiling = max.toNanos();
        long delay = initial.toNanos();
        for (int i = 0; i < failedAttempts && delay < ceiling; i++) {
            delay = delay > ceiling / 2 ? ceiling : delay * 2;
        }
        return Duration.ofNanos(delay - ThreadLocalRandom.current().nextLong(delay / 2 + 1));
    }
}
