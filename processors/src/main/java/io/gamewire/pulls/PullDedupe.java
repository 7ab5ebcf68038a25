package io.gamewire.pulls;

import io.gamewire.sinks.kv.KvStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The item ids one pull published lately, so a re-fetched page (after a crash, a failed page, or
 * an API whose {@code since} is inclusive) publishes nothing twice. Kept in the KV store, as a
 * scored set ({@link KvStore#addScored}) of id → when it was confirmed: it survives a restart, and
 * with the production store (Redis) every instance sees the same ids, so a second instance or a
 * manual run on another does not publish an item again either. Bounded ({@code
 * limits.dedupe-size} ids, the oldest go first) and expiring ({@code limits.dedupe-ttl}).
 *
 * <p>An id is marked only once the broker confirmed its event, and the marks of a page are written
 * together ({@link #flush}), before its watermark is stored: a crash in between publishes those
 * items again, which the sinks store once (same message ids).
 */
public final class PullDedupe {

    private final KvStore kv;
    private final String key;
    private final int maxIds;
    private final long ttlMillis;
    private final Clock clock;
    /** Confirmed ids not yet written, with when they were marked. */
    private final Map<String, Long> unsaved = new LinkedHashMap<>();

    /**
     * @param key the scored set's key in {@code kv}, {@link #key(String, String)}
     */
    public PullDedupe(KvStore kv, String key, int maxIds, Duration ttl, Clock clock) {
        this.kv = kv;
        this.key = key;
        this.maxIds = Math.max(0, maxIds);
        this.ttlMillis = ttl == null ? Long.MAX_VALUE : ttl.toMillis();
        this.clock = clock;
    }

    /** The scored set of a pull's published ids, {@code gw-pull-seen:<title>:<pull>}: beside {@link PullState#key}. */
    public static String key(String title, String pull) {
        return "gw-pull-seen:" + title + ":" + pull;
    }

    /** Whether {@code id} was published within the TTL (and is still among the newest ids). */
    public synchronized boolean seen(String id) {
        if (maxIds == 0) {
            return false;
        }
        if (unsaved.containsKey(id)) {
            return true;
        }
        OptionalLong markedAt = kv.score(key, id);
        return markedAt.isPresent() && markedAt.getAsLong() > cutoff();
    }

    /** Remembers {@code id} as published now; written by the next {@link #flush}. */
    public synchronized void markSeen(String id) {
        if (maxIds == 0) {
            return;
        }
        unsaved.remove(id); // a re-marked id moves to the newest end
        unsaved.put(id, clock.millis());
    }

    /** Writes the ids marked since the last flush, then drops the expired ones and the oldest beyond the bound. */
    public synchronized void flush() {
        if (unsaved.isEmpty()) {
            return;
        }
        kv.addScored(key, unsaved);
        unsaved.clear();
        kv.trimScored(key, cutoff() + 1, maxIds);
    }

    /** How many ids are remembered now (the written ones, expired ones included until the next flush). */
    public synchronized long size() {
        return kv.scoredSize(key) + unsaved.size();
    }

    boolean sameLimits(int maxIds, Duration ttl) {
        return this.maxIds == Math.max(0, maxIds) && this.ttlMillis == (ttl == null ? Long.MAX_VALUE : ttl.toMillis());
    }

    /** Ids marked at or before this are expired. */
    private long cutoff() {
        return ttlMillis == Long.MAX_VALUE ? Long.MIN_VALUE : clock.millis() - ttlMillis;
    }
}
