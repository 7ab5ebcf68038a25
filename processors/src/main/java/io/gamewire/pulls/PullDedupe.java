package io.gamewire.pulls;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The item ids one pull published lately, so a re-fetched page (after a crash, a failed page, or
 * an API whose {@code since} is inclusive) publishes nothing twice. Bounded ({@code
 * limits.dedupe-size} ids) and expiring ({@code limits.dedupe-ttl}); an id is added only once the
 * broker confirmed its event.
 *
 * <p>Oldest first out, by hand rather than with Caffeine: Caffeine's W-TinyLFU admission may
 * refuse a new entry in favour of an older one of the same frequency, and every id here is seen
 * about as often as every other, so when full it could forget exactly the newest ids, the ones a
 * re-fetch meets. Insertion order makes both the size bound and the expiry drop the oldest ids.
 */
public final class PullDedupe {

    private final int maxIds;
    private final long ttlMillis;
    private final Clock clock;
    /** id → when it was marked, oldest first. */
    private final LinkedHashMap<String, Long> ids = new LinkedHashMap<>();

    public PullDedupe(int maxIds, Duration ttl, Clock clock) {
        this.maxIds = Math.max(0, maxIds);
        this.ttlMillis = ttl == null ? Long.MAX_VALUE : ttl.toMillis();
        this.clock = clock;
    }

    /** Whether {@code id} was published within the TTL (and is still among the newest ids). */
    public synchronized boolean seen(String id) {
        expire();
        return ids.containsKey(id);
    }

    /** Remembers {@code id} as published now. */
    public synchronized void markSeen(String id) {
        if (maxIds == 0) {
            return;
        }
        // remove first so a re-marked id moves to the newest end
        ids.remove(id);
        ids.put(id, clock.millis());
        while (ids.size() > maxIds) {
            Iterator<String> oldest = ids.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** How many ids are remembered now. */
    public synchronized int size() {
        expire();
        return ids.size();
    }

    boolean sameLimits(int maxIds, Duration ttl) {
        return this.maxIds == Math.max(0, maxIds) && this.ttlMillis == (ttl == null ? Long.MAX_VALUE : ttl.toMillis());
    }

    private void expire() {
        if (ttlMillis == Long.MAX_VALUE) {
            return;
        }
        long cutoff = clock.millis() - ttlMillis;
        Iterator<Map.Entry<String, Long>> oldest = ids.entrySet().iterator();
        while (oldest.hasNext() && oldest.next().getValue() <= cutoff) {
            oldest.remove();
        }
    }
}
