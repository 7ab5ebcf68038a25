package io.gamewire.sinks.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link KvStore} must have: one run per {@link Stack}, MVStore and Redis. */
class KvStoreTest {

    private KvStore store;

    @BeforeEach
    void openStore(KvStore store) {
        this.store = store;
    }

    @AfterEach
    void deleteRecords() {
        store.delete("player:1");
        store.delete("player:2");
        store.deleteScored("seen:1");
        store.deleteScored("seen:2");
    }

    @StackTest
    void aScoredSetKeepsEachMembersLatestScore() {
        store.addScored("seen:1", Map.of("a", 10L, "b", 20L));
        store.addScored("seen:1", Map.of("a", 30L, "c", 5L));

        assertThat(store.score("seen:1", "a")).hasValue(30);
        assertThat(store.score("seen:1", "c")).hasValue(5);
        assertThat(store.score("seen:1", "z")).isEmpty();
        assertThat(store.score("seen:2", "a")).isEmpty();
        assertThat(store.scoredSize("seen:1")).isEqualTo(3);
        assertThat(store.get("seen:1")).as("a scored set is no record").isEmpty();
    }

    @StackTest
    void trimDropsTheExpiredThenTheLowestBeyondTheBound() {
        store.addScored("seen:1", Map.of("old", 1L, "b", 20L, "c", 30L, "d", 40L, "e", 50L));
        store.addScored("seen:2", Map.of("old", 1L));

        assertThat(store.trimScored("seen:1", 10, 3)).isEqualTo(2);

        assertThat(store.score("seen:1", "old")).isEmpty();
        assertThat(store.score("seen:1", "b")).isEmpty();
        assertThat(store.score("seen:1", "c")).hasValue(30);
        assertThat(store.score("seen:1", "e")).hasValue(50);
        assertThat(store.scoredSize("seen:1")).isEqualTo(3);
        assertThat(store.score("seen:2", "old")).as("another set").hasValue(1);
        assertThat(store.trimScored("seen:1", 10, 3)).isZero();
    }

    @StackTest
    void aRescoredMemberMovesInTheOrder() {
        store.addScored("seen:1", Map.of("a", 1L, "b", 2L));
        store.addScored("seen:1", Map.of("a", 3L));

        store.trimScored("seen:1", Long.MIN_VALUE, 1);

        assertThat(store.score("seen:1", "a")).hasValue(3);
        assertThat(store.score("seen:1", "b")).isEmpty();
        assertThat(store.deleteScored("seen:1")).isTrue();
        assertThat(store.scoredSize("seen:1")).isZero();
    }

    @StackTest
    void unknownKeyReadsAsEmptyRecord() {
        assertThat(store.get("player:2")).isEmpty();
        assertThat(store.delete("player:2")).isFalse();
    }

    @StackTest
    void mergeWritesOnlyTheNamedFields() {
        store.merge("player:1", Map.of("name", "ada", "level", "3"));
        store.merge("player:1", Map.of("level", "4", "clan", "blue"));

        assertThat(store.get("player:1")).containsExactlyInAnyOrderEntriesOf(
                Map.of("name", "ada", "level", "4", "clan", "blue"));
    }

    @StackTest
    void mergeAllAppliesEveryMergeInOrder() {
        store.mergeAll(java.util.List.of(
                new KvStore.Merge("player:1", Map.of("name", "ada", "level", "3")),
                new KvStore.Merge("player:2", Map.of("name", "bob")),
                new KvStore.Merge("player:1", Map.of("level", "5")),
                new KvStore.Merge("player:2", Map.of())));

        assertThat(store.get("player:1")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "ada", "level", "5"));
        assertThat(store.get("player:2")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "bob"));
    }

    @StackTest
    void deleteRemovesTheWholeRecord() {
        store.merge("player:1", Map.of("name", "ada"));

        assertThat(store.delete("player:1")).isTrue();
        assertThat(store.get("player:1")).isEmpty();
    }

    @StackTest
    void recordsOfDifferentKeysAreIndependent() {
        store.merge("player:1", Map.of("name", "ada"));
        store.merge("player:2", Map.of("name", "bob"));

        assertThat(store.get("player:1")).containsEntry("name", "ada").hasSize(1);
        assertThat(store.get("player:2")).containsEntry("name", "bob").hasSize(1);
    }

    @StackTest
    void incrementCountsFromZeroAndKeepsOtherFields() {
        store.merge("player:1", Map.of("name", "ada"));

        assertThat(store.increment("player:1", "kills", 3)).isEqualTo(3);
        assertThat(store.increment("player:1", "kills", -1)).isEqualTo(2);
        assertThat(store.get("player:1")).containsEntry("kills", "2").containsEntry("name", "ada");
    }

    @StackTest
    void incrementRefusesAFieldThatIsNotANumber() {
        store.merge("player:1", Map.of("name", "ada"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.increment("player:1", "name", 1))
                .isInstanceOf(KvStoreException.class);
    }

    @StackTest
    void pingSucceedsWhileOpen() {
        store.ping();
    }

    /**
     * A failed write (a full disk) makes MVStore "panic": it closes itself, and stays closed. The
     * store then says it is broken, and why, where a store closed on purpose is not.
     */
    @StackTest(Stack.EMBEDDED)
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aStoreClosedByAFailedWriteSaysItIsBrokenAndWhy(@TempDir Path dir) {
        Path file = dir.resolve("kv/broken.mv.db");
        try (MvStoreKvStore embedded = new MvStoreKvStore(file)) {
            embedded.merge("player:1", Map.of("score", "1"));
            assertThat(embedded.brokenBy()).as("open").isNull();

            org.h2.mvstore.MVStoreException failedWrite = org.h2.mvstore.DataUtils.newMVStoreException(
                    org.h2.mvstore.DataUtils.ERROR_WRITING_FAILED, "Writing to {0} failed: No space left on device", file);
            assertThatThrownBy(() -> embedded.mvStore().panic(failedWrite)).isSameAs(failedWrite);

            assertThat(embedded.brokenBy()).startsWith("the embedded KV store at " + file
                    + " is broken by a failed write: Writing to " + file + " failed: No space left on device");
            assertThatThrownBy(() -> embedded.merge("player:1", Map.of("score", "2")))
                    .isInstanceOf(KvStoreException.class).hasMessage(embedded.brokenBy());
        } // and it closes at once (the @Timeout): H2's own close() of a broken store spins forever
        MvStoreKvStore closed = new MvStoreKvStore(file);
        closed.close();
        assertThat(closed.brokenBy()).as("closed on purpose").isNull();
    }

    /**
     * Java closes a FileChannel when a thread interrupted while using it; on a plain channel a write
     * by an interrupted thread (a pull run ended at a stop, storing its failure) broke the store.
     */
    @StackTest(Stack.EMBEDDED)
    void aWriteByAnInterruptedThreadIsKeptAndTheStoreStaysOpen(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kv/interrupted.mv.db");
        try (MvStoreKvStore embedded = new MvStoreKvStore(file)) {
            Thread writer = new Thread(() -> {
                Thread.currentThread().interrupt();
                embedded.merge("pull:state", Map.of("failure", "interrupted"));
            });
            writer.start();
            writer.join(10_000);

            assertThat(embedded.brokenBy()).isNull();
            embedded.merge("player:1", Map.of("score", "1"));
            assertThat(embedded.get("pull:state")).containsEntry("failure", "interrupted");
        }
        try (KvStore reopened = new MvStoreKvStore(file)) {
            assertThat(reopened.get("pull:state")).containsEntry("failure", "interrupted");
            assertThat(reopened.get("player:1")).containsEntry("score", "1");
        }
    }

    @StackTest(Stack.EMBEDDED)
    void recordsSurviveAReopen(@TempDir Path dir) {
        Path file = dir.resolve("kv/reopen.mv.db");
        try (KvStore first = new MvStoreKvStore(file)) {
            first.merge("player:9", Map.of("name", "cy"));
            first.addScored("seen:9", Map.of("x", 7L, "y", 8L));
        }
        try (KvStore second = new MvStoreKvStore(file)) {
            assertThat(second.get("player:9")).containsEntry("name", "cy");
            assertThat(second.score("seen:9", "x")).hasValue(7);
            assertThat(second.scoredSize("seen:9")).isEqualTo(2);
        }
    }

    @StackTest(Stack.EMBEDDED)
    void mergeAllCommitsOnceForTheWholeBatch(@TempDir Path dir) {
        try (MvStoreKvStore embedded = new MvStoreKvStore(dir.resolve("kv/batch.mv.db"))) {
            long before = embedded.version();
            embedded.mergeAll(java.util.List.of(new KvStore.Merge("a", Map.of("n", "1")),
                    new KvStore.Merge("b", Map.of("n", "2")), new KvStore.Merge("c", Map.of("n", "3"))));
            long afterBatch = embedded.version();
            embedded.merge("d", Map.of("n", "4"));
            embedded.merge("e", Map.of("n", "5"));

            assertThat(afterBatch - before).as("commits of one mergeAll").isEqualTo(1);
            assertThat(embedded.version() - afterBatch).as("commits of two merges").isEqualTo(2);
            assertThat(embedded.get("c")).containsEntry("n", "3");
        }
    }

    @StackTest(Stack.EMBEDDED)
    void recordsOfTheSerializedFormatAreMovedWhenTheStoreOpens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kv/old.mv.db");
        java.nio.file.Files.createDirectories(file.getParent());
        // what MvStoreKvStore wrote before 2026-12-03: HashMaps in H2's default value type
        org.h2.mvstore.MVStore old = new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).open();
        org.h2.mvstore.MVMap<String, java.util.HashMap<String, String>> serialized =
                old.openMap(MvStoreKvStore.SERIALIZED_RECORDS);
        serialized.put("player:7", new java.util.HashMap<>(Map.of("name", "dé", "level", "12")));
        serialized.put("player:8", new java.util.HashMap<>(Map.of()));
        old.close();

        try (KvStore moved = new MvStoreKvStore(file)) {
            assertThat(moved.get("player:7")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "dé", "level", "12"));
            assertThat(((MvStoreKvStore) moved).version()).as("moved in a commit").isPositive();
            assertThat(moved.get("player:8")).isEmpty();
            moved.merge("player:7", Map.of("level", "13"));
        }
        org.h2.mvstore.MVStore reopened = new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).open();
        try {
            assertThat(reopened.hasMap(MvStoreKvStore.SERIALIZED_RECORDS)).as("the old map is gone").isFalse();
            assertThat(reopened.hasMap(MvStoreKvStore.RECORDS)).isTrue();
        } finally {
            reopened.close();
        }
        try (KvStore again = new MvStoreKvStore(file)) {
            assertThat(again.get("player:7")).containsEntry("level", "13").containsEntry("name", "dé");
        }
    }

    @StackTest(Stack.EMBEDDED)
    void aStoreThatCannotBeMovedFailsNamingItsFileAndFreesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kv/bad.mv.db");
        java.nio.file.Files.createDirectories(file.getParent());
        org.h2.mvstore.MVStore old = new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).open();
        // a value the old form could hold but no record is: a field without a value
        java.util.HashMap<String, String> broken = new java.util.HashMap<>();
        broken.put("name", null);
        old.<String, java.util.HashMap<String, String>>openMap(MvStoreKvStore.SERIALIZED_RECORDS).put("player:1", broken);
        old.close();

        assertThatThrownBy(() -> new MvStoreKvStore(file))
                .isInstanceOf(KvStoreException.class).hasMessageContaining("bad.mv.db");
        org.h2.mvstore.MVStore reopened = new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).open();
        try {
            assertThat(reopened.hasMap(MvStoreKvStore.SERIALIZED_RECORDS)).as("the old records stay").isTrue();
        } finally {
            reopened.close();
        }
    }

    @StackTest(Stack.EMBEDDED)
    void aClosedStoreFailsItsPingWithThePath(@TempDir Path dir) {
        KvStore closed = new MvStoreKvStore(dir.resolve("kv/closed.mv.db"));
        closed.close();

        assertThatThrownBy(closed::ping)
                .isInstanceOf(KvStoreException.class)
                .hasMessageContaining("closed.mv.db is closed");
    }

    @StackTest(Stack.SERVICES)
    void anUnreachableRedisFailsPingNamingTheAddress() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (KvStore unreachable = new RedisKvStore(RedisConnection.plaintext("127.0.0.1", closedPort, null), 500, "x:")) {
            assertThatThrownBy(unreachable::ping)
                    .isInstanceOf(KvStoreException.class)
                    .hasMessageContaining("127.0.0.1:" + closedPort);
        }
    }
}
