package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour of the {@code events} table on every supported database. */
abstract class SqlEventStoreContract {

    protected HikariDataSource dataSource;
    protected SqlEventStore store;

    protected abstract HikariDataSource openDatabase();

    protected void dropDatabase() {
    }

    @BeforeEach
    void migrate() {
        dataSource = openDatabase();
        SchemaMigrator.migrate(dataSource);
        store = new SqlEventStore(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
        dropDatabase();
    }

    private static StoredEvent event(UUID id, String json) {
        return new StoredEvent(id, RoutingKey.parse("halo.prod.stats.match_end"), "application/json",
                json.getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L, 1_700_000_000_500L);
    }

    @Test
    void storedEventReadsBackFieldByField() throws Exception {
        UUID id = MessageIds.next();
        store.store(event(id, "{\"kills\":7}"));

        StoredEvent read = store.find(id).orElseThrow();
        assertThat(read.routingKey()).hasToString("halo.prod.stats.match_end");
        assertThat(read.contentType()).isEqualTo("application/json");
        assertThat(new String(read.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"kills\":7}");
        assertThat(read.eventTimeMs()).isEqualTo(1_700_000_000_000L);
        assertThat(read.receivedAtMs()).isEqualTo(1_700_000_000_500L);
    }

    @Test
    void theLongestContentTypeGwpAllowsIsStored() throws Exception {
        UUID id = MessageIds.next();
        String contentType = "application/vnd." + "x".repeat(127 - "application/vnd.+json".length()) + "+json";
        store.store(new StoredEvent(id, RoutingKey.parse("halo.prod.stats.match_end"), contentType,
                new byte[] {1}, 1L, 2L));

        assertThat(contentType).hasSize(127);
        assertThat(store.find(id).orElseThrow().contentType()).isEqualTo(contentType);
    }

    @Test
    void aRedeliveredEventIsStoredOnce() throws Exception {
        UUID id = MessageIds.next();
        store.store(event(id, "{\"kills\":7}"));
        store.store(event(id, "{\"kills\":7}"));

        assertThat(store.countById(id)).isEqualTo(1);
    }

    @Test
    void unknownIdIsEmpty() throws Exception {
        assertThat(store.find(MessageIds.next())).isEmpty();
    }

    @Test
    void migratingTwiceAppliesNothingTheSecondTime() {
        assertThat(SchemaMigrator.migrate(dataSource)).isZero();
    }

    @Test
    void probeAcceptsALiveDatabase() throws Exception {
        new DatabaseProbe(dataSource, 2).check();
    }
}
