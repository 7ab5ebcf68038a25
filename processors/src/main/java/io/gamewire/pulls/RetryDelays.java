package io.gamewire.pulls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next attempt of a request: the publisher's {@code Retry-After}
 * (delta seconds or an HTTP date) when it sent one, else exponential back-off with full jitter
 * (a random wait between 0 and 500 ms × 2^(attempt-1)), so many pulls failing at once do not
 * retry in step. Both are capped at {@code limits.max-backoff}.
 */
final class RetryDelays {

    static final Duration BASE = Duration.ofMillis(500);

    private final Clock clock;
    private final RandomGenerator random;

    RetryDelays(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * @param attempt    the attempt that just failed, the first is 1
     * @param retryAfter the response's Retry-After header, or null
     * @param maxBackoff the cap
     */
    Duration delay(int attempt, String retryAfter, Duration maxBackoff) {
        Optional<Duration> asked = retryAfter(retryAfter, clock.instant());
        if (asked.isPresent()) {
            return min(asked.get(), maxBackoff);
        }
        return jittered(attempt, maxBackoff);
    }

    /** Full jitter: uniform in [0, min(cap, base × 2^(attempt-1))]. */
    Duration jittered(int attempt, Duration maxBackoff) {
        long cap = maxBackoff.toMillis();
        long ceiling = BASE.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        long bound = Math.max(0, Math.min(cap, ceiling));
        return Duration.ofMillis(bound == 0 ? 0 : random.nextLong(bound + 1));
    }

    /** A Retry-After value as a wait from {@code now}; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
