package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The count that ends every fault scenario, on gamewire running in the test's JVM once the load
 * has its answers: which events are stored, in {@code events} and the title table, against those
 * the load sent and had acknowledged; then the checks every scenario shares ({@link #assertKept}).
 */
final class FaultOutcome {

    final Set<UUID> acked;
    final Set<UUID> stored;
    final Set<UUID> storedNeverSent;
    final long tableRows;
    final long tableIds;
    final long duplicatesAbsorbed;

    private FaultOutcome(Set<UUID> acked, Set<UUID> stored, Set<UUID> storedNeverSent, long tableRows, long tableIds,
                         long duplicatesAbsorbed) {
        this.acked = acked;
        this.stored = stored;
        this.storedNeverSent = storedNeverSent;
        this.tableRows = tableRows;
        this.tableIds = tableIds;
        this.duplicatesAbsorbed = duplicatesAbsorbed;
    }

    /**
     * Waits until every acknowledged event is stored (or the time is up: a loss is counted, not
     * thrown, so that the scenario still records its figures), then reads what is.
     */
    static FaultOutcome count(GamewireUnderTest gw, TestDatabase database, FaultLoad load) throws Exception {
        Set<UUID> acked = Set.copyOf(load.acked);
        try {
            // counting is cheap, reading every id is not: the ids once the count says they can all be there
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> stored(database) >= acked.size());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> storedIds(database).containsAll(acked));
        } catch (org.awaitility.core.ConditionTimeoutException lost) {
            System.out.println("not every acknowledged event was stored in time: " + lost.getMessage());
        }
        Set<UUID> stored = storedIds(database);
        long[] rows = database.counts("SELECT COUNT(*), COUNT(DISTINCT gw_message_id) FROM " + gw.title + "_scores");
        Set<UUID> neverSent = new HashSet<>(stored);
        neverSent.removeAll(load.sent);
        return new FaultOutcome(acked, stored, neverSent, rows[0], rows[1],
                database.count("SELECT COALESCE(SUM(resends), 0) FROM events"));
    }

    /** The events in {@code events}. */
    static long stored(TestDatabase database) throws Exception {
        return database.count("SELECT COUNT(*) FROM events");
    }

    long storedOfAcked() {
        return acked.stream().filter(stored::contains).count();
    }

    long lostAcked() {
        return acked.size() - storedOfAcked();
    }

    /**
     * Every acknowledged event stored once, in {@code events} and its table, with its KV record;
     * nothing stored that was never sent; every event of {@code cachedAfter} (acknowledged once
     * the cache was reachable again) cached.
     */
    void assertKept(GamewireUnderTest gw, FaultLoad load, Set<UUID> cachedAfter) {
        assertStoredOnce(gw, load);
        assertCached(gw, load, cachedAfter);
    }

    /**
     * Every acknowledged event stored once, in {@code events} and its table, with its KV record;
     * nothing stored that was never sent.
     */
    void assertStoredOnce(GamewireUnderTest gw, FaultLoad load) {
        assertThat(storedNeverSent).as("stored, never sent").isEmpty();
        // not AssertJ's containsAll, which compares element by element: hundreds of thousands of ids
        assertThat(acked.stream().filter(id -> !stored.contains(id)).limit(20).toList())
                .as("acknowledged events not stored").isEmpty();
        // each event names a player of its own, the table's key: a row per event, and its message id
        assertThat(tableRows).as("one table row per stored event").isEqualTo(stored.size());
        assertThat(tableIds).as("each row from another event").isEqualTo(tableRows);
        // the KV record is written after its batch's commit, also when Redis was the one gone
        // (and the cache entry after that): given a moment, and time for one read per event
        KvStore kv = gw.bean("kvStore", KvStore.class);
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(acked.stream()
                .filter(id -> kv.get("player:" + load.players.get(id)).get("lastPoints") == null).limit(20).toList())
                .as("acknowledged events without their KV record").isEmpty());
    }

    /** Nearly every event of {@code cachedAfter} (acknowledged once the cache was reachable again) cached. */
    void assertCached(GamewireUnderTest gw, FaultLoad load, Set<UUID> cachedAfter) {
        // the cache may miss what came while it was gone, and is a cache (memcached's writes are
        // not waited for: a lost one is a miss), but what came after it was back is nearly all there
        EventCache cache = gw.bean("eventCache", EventCache.class);
        assertThat(cachedAfter).as("events acknowledged after the recovery").isNotEmpty();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<UUID> missing = cachedAfter.stream()
                    .filter(id -> cache.get("score:" + load.players.get(id)).isEmpty()).toList();
            // an eviction is not a lost write: named, so that a memcached too small for the run is told apart
            long evicted = GamewireUnderTest.SERVICES ? MemcachedEvictions.total() - load.memcachedEvictionsAtStart : 0;
            assertThat(missing.size()).as("of %d events acknowledged after the recovery, not cached (%s ...);"
                            + " memcached evicted %d items since the load began%s", cachedAfter.size(),
                    missing.stream().limit(5).toList(), evicted,
                    evicted > 0 ? ": it is too small for the run (start it with -m 1024, as .ci/run does)" : "")
                    .isLessThanOrEqualTo(cachedAfter.size() / 100);
        });
    }

    private static Set<UUID> storedIds(TestDatabase database) throws Exception {
        Set<UUID> ids = new HashSet<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT message_id FROM events")) {
            while (row.next()) {
                ids.add(UUID.fromString(row.getString(1)));
            }
        }
        return ids;
    }
}
