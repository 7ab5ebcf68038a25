package io.gamewire.pulls;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the rate-limit headers of a publisher's response and says how long its host wants no
 * further request, so that a pull waits before the 429 instead of after it. Three families:
 *
 * <ul>
 *   <li>the IETF fields ({@code draft-ietf-httpapi-ratelimit-headers}): {@code RateLimit-Remaining}
 *       and {@code RateLimit-Reset} (seconds), or one {@code RateLimit} field, either as
 *       {@code limit=100, remaining=0, reset=30} or as the later structured form
 *       {@code "default";r=0;t=30};</li>
 *   <li>{@code X-RateLimit-Remaining} with {@code X-RateLimit-Reset}, where a reset above 10^9 is an
 *       epoch time in seconds (as GitHub sends it), above 10^12 in milliseconds, and a smaller one
 *       seconds from now;</li>
 *   <li>the {@code X-*-Rate-Limit} style of match-history APIs: {@code X-App-Rate-Limit: 20:1,100:120}
 *       (at most 20 per second and 100 per 120 s) with {@code X-App-Rate-Limit-Count: 20:1,7:120}
 *       (used so far in each window); a window whose count reached its limit is waited out whole,
 *       since the API does not say when it began. Any prefix ({@code App}, {@code Method}, …).</li>
 * </ul>
 *
 * <p>Only an exhausted budget (nothing remaining) asks for a wait; anything unreadable is ignored.
 */
final class RateLimitHeaders {

    /** Larger values of an X-RateLimit-Reset are epoch seconds, smaller ones seconds from now. */
    private static final long EPOCH_SECONDS_FROM = 1_000_000_000L;
    /** Larger values still are epoch milliseconds. */
    private static final long EPOCH_MILLIS_FROM = 1_000_000_000_000L;
    private static final Pattern WINDOW_LIMIT = Pattern.compile("x-([a-z0-9-]+)-rate-limit");
    private static final Pattern LIMIT_PAIR = Pattern.compile("\\s*(\\d{1,9}):(\\d{1,9})\\s*");
    private static final Pattern STRUCTURED_ITEM = Pattern.compile(";\\s*([a-z]+)\\s*=\\s*(\\d{1,12})");
    private static final Pattern KEY_VALUE = Pattern.compile("([a-z]+)\\s*=\\s*(\\d{1,12})");

    private RateLimitHeaders() {
    }

    /** How long from {@code now} the host wants no request, or empty when its budget is not spent. */
    static Optional<Duration> hold(HttpHeaders headers, Instant now) {
        Duration longest = Duration.ZERO;
        for (Duration wait : new Duration[] {ietf(headers), xRateLimit(headers, now), windows(headers)}) {
            if (wait != null && wait.compareTo(longest) > 0) {
                longest = wait;
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** {@code RateLimit-Remaining: 0} with {@code RateLimit-Reset}, or one {@code RateLimit} field. */
    private static Duration ietf(HttpHeaders headers) {
        OptionalLong remaining = number(headers, "RateLimit-Remaining");
        OptionalLong reset = number(headers, "RateLimit-Reset");
        String combined = headers.firstValue("RateLimit").orElse(null);
        if (combined != null) {
            Map<String, Long> fields = fields(combined.toLowerCase(Locale.ROOT));
            if (fields.containsKey("remaining") || fields.containsKey("r")) {
                remaining = OptionalLong.of(fields.getOrDefault("remaining", fields.get("r")));
            }
            if (fields.containsKey("reset") || fields.containsKey("t")) {
                reset = OptionalLong.of(fields.getOrDefault("reset", fields.get("t")));
            }
        }
        return spent(remaining, reset) ? Duration.ofSeconds(reset.getAsLong()) : null;
    }

    /** {@code X-RateLimit-Remaining: 0} with {@code X-RateLimit-Reset}, epoch or delta seconds. */
    private static Duration xRateLimit(HttpHeaders headers, Instant now) {
        OptionalLong remaining = number(headers, "X-RateLimit-Remaining");
        OptionalLong reset = number(headers, "X-RateLimit-Reset");
        if (!spent(remaining, reset)) {
            return null;
        }
        long value = reset.getAsLong();
        if (value < EPOCH_SECONDS_FROM) {
            return Duration.ofSeconds(value);
        }
        Instant at = value < EPOCH_MILLIS_FROM ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? null : wait;
    }

    /** Every {@code X-<name>-Rate-Limit} with its {@code -Count}: the longest window that is full. */
    private static Duration windows(HttpHeaders headers) {
        Duration longest = null;
        for (String header : headers.map().keySet()) {
            Matcher name = WINDOW_LIMIT.matcher(header.toLowerCase(Locale.ROOT));
            if (!name.matches()) {
                continue;
            }
            Map<Long, Long> limits = pairs(headers.firstValue(header).orElse(""));
            Map<Long, Long> counts = pairs(headers.firstValue(header + "-Count").orElse(""));
            for (Map.Entry<Long, Long> window : limits.entrySet()) {
                Long count = counts.get(window.getKey());
                if (count != null && count >= window.getValue()) {
                    Duration wait = Duration.ofSeconds(window.getKey());
                    if (longest == null || wait.compareTo(longest) > 0) {
                        longest = wait;
                    }
                }
            }
        }
        return longest;
    }

    /** {@code 20:1,100:120} as window seconds → number. */
    private static Map<Long, Long> pairs(String value) {
        Map<Long, Long> pairs = new TreeMap<>();
        for (String part : value.split(",")) {
            Matcher pair = LIMIT_PAIR.matcher(part);
            if (pair.matches()) {
                pairs.put(Long.parseLong(pair.group(2)), Long.parseLong(pair.group(1)));
            }
        }
        return pairs;
    }

    /** The numbers of {@code limit=100, remaining=0, reset=30} or {@code "default";r=0;t=30}. */
    private static Map<String, Long> fields(String value) {
        Map<String, Long> fields = new TreeMap<>();
        Matcher structured = STRUCTURED_ITEM.matcher(value);
        while (structured.find()) {
            fields.put(structured.group(1), Long.parseLong(structured.group(2)));
        }
        if (fields.isEmpty()) {
            Matcher plain = KEY_VALUE.matcher(value);
            while (plain.find()) {
                fields.put(plain.group(1), Long.parseLong(plain.group(2)));
            }
        }
        return fields;
    }

    private static boolean spent(OptionalLong remaining, OptionalLong reset) {
        return remaining.isPresent() && remaining.getAsLong() <= 0 && reset.isPresent() && reset.getAsLong() > 0;
    }

    private static OptionalLong number(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name).map(String::trim);
        if (value.isEmpty() || !value.get().matches("\\d{1,12}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(value.get()));
    }
}
