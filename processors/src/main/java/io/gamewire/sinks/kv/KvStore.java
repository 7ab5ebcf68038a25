package io.gamewire.sinks.kv;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A key-value store of sparse records: each key holds a map of named string fields, and a write
 * sets only the fields it names (a record gains fields over time; last write wins per field).
 *
 * <p>Implementations: {@link MvStoreKvStore} (embedded, a file under {@code ./data}) and
 * {@link RedisKvStore} (production, Redis hashes).
 */
public interface KvStore extends AutoCloseable {

    /** Sets the given fields of {@code key}, leaving its other fields as they are; durable on return. */
    void merge(String key, Map<String, String> fields);

    /** One record's fields to set, for {@link #mergeAll}. */
    record Merge(String key, Map<String, String> fields) {
    }

    /**
     * Applies the merges in order, each as {@link #merge} would; in as few round trips as the store
     * allows (Redis: one pipeline). Durable on return; throws when any of them failed.
     */
    default void mergeAll(List<Merge> merges) {
        for (Merge merge : merges) {
            merge(merge.key(), merge.fields());
        }
    }

    /**
     * Adds {@code delta} to the whole number in field {@code field} of {@code key} (a missing field
     * counts as 0) and returns the new value; atomic against other increments.
     *
     * @throws KvStoreException when the field holds something other than a whole number
     */
    long increment(String key, String field, long delta);

    /** All fields of {@code key}; an empty map when the key is unknown. */
    Map<String, String> get(String key);

    /** Removes the whole record; returns whether it existed. */
    boolean delete(String key);

    /**
     * Adds members to the scored set {@code key}, or gives those already in it their new score; a
     * scored set is a bounded, expiring memory (a pull's published item ids, scored by when), kept
     * apart from the records of {@link #get}. Durable on return.
     */
    void addScored(String key, Map<String, Long> scores);

    /** The score of {@code member} in the scored set {@code key}; empty when it is not in it. */
    OptionalLong score(String key, String member);

    /**
     * Removes from the scored set {@code key} every member scored below {@code minScore}, then all
     * but the {@code keep} highest-scored; returns how many went.
     */
    long trimScored(String key, long minScore, int keep);

    /** How many members the scored set {@code key} holds. */
    long scoredSize(String key);

    /** Removes the whole scored set; returns whether it existed. */
    boolean deleteScored(String key);

    /**
     * Checks that the store answers.
     *
     * @throws KvStoreException when it does not
     */
    void ping();

    @Override
    void close();
}
