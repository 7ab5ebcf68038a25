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
 * How long to wait before the next attempt of a request. A 429 or 503 with {@code Retry-After}
 * (delta seconds or an HTTP date) waits what the publisher asked, however long: a wait beyond
 * {@code limits.max-backoff} is not shortened but ends the run ({@link PageFetcher}). A 429 without
 * it waits {@code rate.after-429}, doubling with each further 429 of the request. Other 5xx,
 * timeouts and network errors back off exponentially with full jitter (a random wait between 0 and
 * 500 ms × 2^(attempt-1), at most {@code limits.max-backoff}), so many pulls failing at once do not
 * retry in step.
 */
final class RetryDelays {

    static final Duration BASE = Duration.ofMillis(500);

    private final Clock clock;
    private final RandomGenerator random;

    RetryDelays(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** The publisher's {@code Retry-After} as a wait from now; empty when absent or unreadable. */
    Optional<Duration> asked(String retryAfter) {
        return retryAfter(retryAfter, clock.instant());
    }

    /**
     * The wait after the {@code count}-th 429 without {@code Retry-After} of one request:
     * {@code first} × 2^(count-1).
     */
    static Duration after429(int count, Duration first) {
        int doublings = Math.min(Math.max(count - 1, 0), 20);
        return first.multipliedBy(1L << doublings);
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
                // beyond a day it is held for a day (HostBudget.LONGEST_HOLD); no overflow further on
                return Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(value), HostBudget.LONGEST_HOLD.toSeconds())));
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
}
