package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** The behaviour of the {@code events} table on every supported database: one run per {@link Stack}. */
class SqlEventStoreTest {

    private HikariDataSource dataSource;
    private SqlEventStore store;

    @BeforeEach
    void migrate(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        SchemaMigrator.migrate(dataSource);
        store = new SqlEventStore(dataSource);
    }

    private static StoredEvent event(UUID id, String json) {
        return new StoredEvent(id, RoutingKey.parse("halo.prod.stats.match_end"), "application/json",
                json.getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L, 1_700_000_000_500L);
    }

    @StackTest
    void eventsHasNoIndexButItsPrimaryKey() throws Exception {
        // Every read of events is by message id; any other index costs each insert (V7)
        java.util.Set<String> others = new java.util.TreeSet<>();
        try (var connection = dataSource.getConnection()) {
            var metaData = connection.getMetaData();
            for (String table : new String[] {"events", "EVENTS"}) {
                try (var indexes = metaData.getIndexInfo(connection.getCatalog(), null, table, false, false)) {
                    while (indexes.next()) {
                        String name = indexes.getString("INDEX_NAME");
                        // the primary key: PRIMARY on MySQL and MariaDB, PRIMARY_KEY_<n> on H2
                        if (name != null && !name.equalsIgnoreCase("PRIMARY") && !name.startsWith("PRIMARY_KEY_")) {
                            others.add(name + "(" + indexes.getString("COLUMN_NAME") + ")");
                        }
                    }
                }
            }
        }
        assertThat(others).isEmpty();
    }

    @StackTest
    void storedEventReadsBackFieldByField() throws Exception {
        UUID id = MessageIds.next();
        store.store(event(id, "{\"kills\":7}"));

        StoredEvent read = store.find(id).orElseThrow();
        assertThat(read.routingKey()).hasToString("halo.prod.stats.match_end");
        assertThat(read.contentType()).isEqualTo("application/json");
        assertThat(new String(read.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"kills\":7}");
        assertThat(read.eventTimeMs()).isEqualTo(1_700_000_000_000L);
        assertThat(read.receivedAtMs()).isEqualTo(1_700_000_000_500L);
        assertThat(read.source()).isNull();
    }

    @StackTest
    void theSourceIsStoredWithTheEventAndInAColumnOfItsOwn() throws Exception {
        UUID id = MessageIds.next();
        store.store(new StoredEvent(id, RoutingKey.parse("halo.prod.stats.match_end"), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), 1L, 2L, java.util.Map.of("gw-source", "tcp")));

        assertThat(store.find(id).orElseThrow().source()).isEqualTo("tcp");
        try (var connection = dataSource.getConnection();
             var select = connection.prepareStatement("SELECT source FROM events WHERE message_id = ?")) {
            select.setString(1, id.toString());
            try (var row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("tcp");
            }
        }
    }

    @StackTest
    void attributesAndTheStoreTimeReadBack() throws Exception {
        UUID id = MessageIds.next();
        long before = System.currentTimeMillis();
        store.store(new StoredEvent(id, RoutingKey.parse("halo.staging.stats.match_end"), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), 1L, 2L,
                java.util.Map.of("gw-replay-of", "0190a0a0-0000-7000-8000-000000000001", "gw-source", "replay",
                        "note", "quote \" and back\\slash")));

        SqlEventStore.StoredRow row = store.findRow(id).orElseThrow();
        assertThat(row.event().attributes()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "gw-replay-of", "0190a0a0-0000-7000-8000-000000000001", "gw-source", "replay",
                "note", "quote \" and back\\slash"));
        assertThat(row.storedAtMs()).isBetween(before, System.currentTimeMillis());
        assertThat(store.find(MessageIds.next())).isEmpty();
    }

    @StackTest
    void anEventWithoutAttributesReadsBackWithNone() throws Exception {
        UUID id = MessageIds.next();
        store.store(event(id, "{}"));

        assertThat(store.find(id).orElseThrow().attributes()).isEmpty();
    }

    @StackTest
    void theLongestContentTypeGwpAllowsIsStored() throws Exception {
        UUID id = MessageIds.next();
        String contentType = "application/vnd." + "x".repeat(127 - "application/vnd.+json".length()) + "+json";
        store.store(new StoredEvent(id, RoutingKey.parse("halo.prod.stats.match_end"), contentType,
                new byte[] {1}, 1L, 2L));

        assertThat(contentType).hasSize(127);
        assertThat(store.find(id).orElseThrow().contentType()).isEqualTo(contentType);
    }

    @StackTest
    void aRedeliveredEventIsStoredOnce() throws Exception {
        UUID id = MessageIds.next();
        store.store(event(id, "{\"kills\":7}"));
        store.store(event(id, "{\"kills\":7}"));

        assertThat(store.countById(id)).isEqualTo(1);
    }

    @StackTest
    void aBatchLongerThanOneStatementIsStoredWholeAndATwiceDeliveredEventInItOnce() throws Exception {
        java.util.List<StoredEvent> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * SqlEventStore.MAX_ROWS + 7; i++) {
            batch.add(event(MessageIds.next(), "{\"n\":" + i + "}"));
        }
        // the same message twice in one batch, in the same statement: the first is kept
        UUID twice = batch.get(3).messageId();
        batch.add(5, event(twice, "{\"n\":\"again\"}"));

        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            store.insert(connection, batch);
            connection.commit();
        }

        assertThat(store.countById(twice)).isEqualTo(1);
        assertThat(new String(store.find(twice).orElseThrow().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":3}");
        for (StoredEvent event : batch) {
            assertThat(store.find(event.messageId())).as(event.messageId().toString()).isPresent();
        }
    }

    @StackTest
    void rowsTooLargeToShareAStatementAreStoredByteForByte() throws Exception {
        // each nearly half a statement's limit once escaped: quotes and backslashes, escaped to two bytes
        String big = "{\"pad\":\"" + "'\\\\x".repeat(SqlEventStore.MAX_STATEMENT_BYTES / 20) + "\"}";
        java.util.List<StoredEvent> batch = java.util.List.of(event(MessageIds.next(), big),
                event(MessageIds.next(), big), event(MessageIds.next(), "{}"), event(MessageIds.next(), big));

        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            store.insert(connection, batch);
            connection.commit();
        }

        for (StoredEvent event : batch) {
            assertThat(store.find(event.messageId()).orElseThrow().payload()).isEqualTo(event.payload());
        }
    }

    @StackTest
    void unknownIdIsEmpty() throws Exception {
        assertThat(store.find(MessageIds.next())).isEmpty();
    }

    @StackTest
    void migratingTwiceAppliesNothingTheSecondTime() {
        assertThat(SchemaMigrator.migrate(dataSource)).isZero();
    }

    @StackTest
    void probeAcceptsALiveDatabase() throws Exception {
        new DatabaseProbe(dataSource, 2).check();
    }

    @StackTest(Stack.EMBEDDED)
    void probeFailsOnceThePoolIsClosed() {
        dataSource.close();

        assertThatThrownBy(() -> new DatabaseProbe(dataSource, 1).check()).isInstanceOf(SQLException.class);
    }
}
