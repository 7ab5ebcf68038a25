package io.gamewire.sinks.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link KvStore} must have; one subclass per implementation. */
abstract class KvStoreContract {

    protected KvStore store;

    protected abstract KvStore open();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.delete("player:1");
        store.delete("player:2");
        store.close();
    }

    @Test
    void unknownKeyReadsAsEmptyRecord() {
        assertThat(store.get("player:2")).isEmpty();
        assertThat(store.delete("player:2")).isFalse();
    }

    @Test
    void mergeWritesOnlyTheNamedFields() {
        store.merge("player:1", Map.of("name", "ada", "level", "3"));
        store.merge("player:1", Map.of("level", "4", "clan", "blue"));

        assertThat(store.get("player:1")).containsExactlyInAnyOrderEntriesOf(
                Map.of("name", "ada", "level", "4", "clan", "blue"));
    }

    @Test
    void mergeAllAppliesEveryMergeInOrder() {
        store.mergeAll(java.util.List.of(
                new KvStore.Merge("player:1", Map.of("name", "ada", "level", "3")),
                new KvStore.Merge("player:2", Map.of("name", "bob")),
                new KvStore.Merge("player:1", Map.of("level", "5")),
                new KvStore.Merge("player:2", Map.of())));

        assertThat(store.get("player:1")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "ada", "level", "5"));
        assertThat(store.get("player:2")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "bob"));
    }

    @Test
    void deleteRemovesTheWholeRecord() {
        store.merge("player:1", Map.of("name", "ada"));

        assertThat(store.delete("player:1")).isTrue();
        assertThat(store.get("player:1")).isEmpty();
    }

    @Test
    void recordsOfDifferentKeysAreIndependent() {
        store.merge("player:1", Map.of("name", "ada"));
        store.merge("player:2", Map.of("name", "bob"));

        assertThat(store.get("player:1")).containsEntry("name", "ada").hasSize(1);
        assertThat(store.get("player:2")).containsEntry("name", "bob").hasSize(1);
    }

    @Test
    void incrementCountsFromZeroAndKeepsOtherFields() {
        store.merge("player:1", Map.of("name", "ada"));

        assertThat(store.increment("player:1", "kills", 3)).isEqualTo(3);
        assertThat(store.increment("player:1", "kills", -1)).isEqualTo(2);
        assertThat(store.get("player:1")).containsEntry("kills", "2").containsEntry("name", "ada");
    }

    @Test
    void incrementRefusesAFieldThatIsNotANumber() {
        store.merge("player:1", Map.of("name", "ada"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.increment("player:1", "name", 1))
                .isInstanceOf(KvStoreException.class);
    }

    @Test
    void pingSucceedsWhileOpen() {
        store.ping();
    }
}
