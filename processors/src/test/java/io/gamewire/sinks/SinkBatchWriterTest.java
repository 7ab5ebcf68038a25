package io.gamewire.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.cache.CaffeineEventCache;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import io.gamewire.testsupport.TestRegistries;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import io.gamewire.testsupport.TitleFixtures;
import io.gamewire.titles.TitleRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import javax.sql.DataSource;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SinkBatchWriter} on every supported database (one run per {@link Stack}): a batch is one
 * transaction, its KV records and cache entries follow the commit, and one bad event fails alone.
 */
class SinkBatchWriterTest {

    /** Fixture t-matches; map is short, so that a longer one is refused by the database. */
    private static final String TITLE = TitleFixtures.read("t-matches", Map.of("columns", """
            match_id: {type: varchar(16), from: $.id}
            map: {type: varchar(8), from: $.map}
            kills: {type: int, from: $.kills}
            """));

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private MvStoreKvStore kv;
    private CaffeineEventCache cache;
    private SinkBatchWriter writer;
    private TitleRegistry registry;

    @BeforeEach
    void open(HikariDataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        SchemaMigrator.migrate(dataSource);
        Path titles = Files.createDirectories(dir.resolve("titles"));
        Files.writeString(titles.resolve("t.yaml"), TITLE);
        registry = TestRegistries.applyingTables(titles, dataSource);
        assertThat(registry.reload().added()).containsExactly("t");
        kv = new MvStoreKvStore(dir.resolve("kv.mv"));
        cache = new CaffeineEventCache(1000);
        ObjectMapper json = new ObjectMapper();
        writer = new SinkBatchWriter(dataSource, new SqlEventStore(dataSource), new TitleSinks(json, registry, kv, cache),
                cache, Duration.ofMinutes(1), json);
    }

    @AfterEach
    void close() {
        kv.close();
    }

    private static StoredEvent end(String id, String map, long time) {
        String payload = "{\"id\":\"" + id + "\",\"map\":\"" + map + "\",\"kills\":3}";
        return new StoredEvent(MessageIds.next(), RoutingKey.parse("t.prod.stats.end"), "application/json",
                payload.getBytes(StandardCharsets.UTF_8), time, time);
    }

    @StackTest
    void aBatchStoresEveryEventInEverySink() throws Exception {
        List<StoredEvent> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(end("m" + i, "map" + (i % 3), 1000 + i));
        }

        List<Throwable> failures = writer.write(batch);

        assertThat(failures).hasSize(50).containsOnlyNulls();
        assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(50);
        assertThat(count("SELECT COUNT(*) FROM t_matches")).isEqualTo(50);
        assertThat(kv.get("match:m7")).containsEntry("map", "map1");
        assertThat(cache.get("end:m7")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8))
                .contains("\"map\":\"map1\""));
        // the cached view (made from the payload the sinks parsed) is byte for byte a view made anew
        assertThat(cache.get(EventView.cacheKey(batch.get(7).messageId()))).hasValueSatisfying(view ->
                assertThat(view).isEqualTo(EventView.toJson(new ObjectMapper(), batch.get(7))));
    }

    @StackTest
    void anEventWhoseCommandNoTitleDefinesIsStoredNowhereAndFailsNamingTheKeyAndTheFile() throws Exception {
        StoredEvent unknown = new StoredEvent(MessageIds.next(), RoutingKey.parse("t.prod.stats.removed"),
                "application/json", "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), 1000, 1000);

        List<Throwable> failures = writer.write(List.of(unknown, end("m1", "a", 1000)));

        assertThat(failures.get(0)).isInstanceOf(io.gamewire.titles.CommandNotDefinedException.class)
                .hasMessageContaining("t.prod.stats.removed").hasMessageContaining("t.yaml")
                .hasMessageContaining("no command 'removed'");
        assertThat(failures.get(1)).as("the other event of the batch").isNull();
        assertThat(count("SELECT COUNT(*) FROM events")).as("no events row without its sinks").isEqualTo(1);
    }

    @StackTest
    void anEventLackingAKeyFieldIsStoredInNoSinkAndFailsNamingTheField() throws Exception {
        StoredEvent noId = new StoredEvent(MessageIds.next(), RoutingKey.parse("t.prod.stats.end"), "application/json",
                "{\"map\":\"a\",\"kills\":1}".getBytes(StandardCharsets.UTF_8), 1000, 1000);

        List<Throwable> failures = writer.write(List.of(noId, end("m1", "a", 1000)));

        assertThat(failures.get(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key column match_id").hasMessageContaining("$.id");
        assertThat(failures.get(1)).isNull();
        assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM t_matches")).isEqualTo(1);
    }

    @StackTest
    void anEventOfATitleNotInForceIsStoredNowhereAndGoesBackToItsQueue() throws Exception {
        StoredEvent other = new StoredEvent(MessageIds.next(), RoutingKey.parse("u.prod.stats.end"), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), 1000, 1000);

        assertThat(writer.write(List.of(other)).get(0)).isInstanceOf(io.gamewire.titles.TitleNotInForceException.class)
                .hasMessageContaining("title 'u' is not in force");
        assertThat(count("SELECT COUNT(*) FROM events")).isZero();
    }

    @StackTest
    void writingTheSameBatchAgainStoresEachEventOnceAndTheNewestRowWins() throws Exception {
        StoredEvent newer = end("m1", "new", 2000);
        StoredEvent older = end("m1", "old", 1000);
        List<StoredEvent> batch = List.of(newer, older, end("m2", "x", 1000));

        assertThat(writer.write(batch)).containsOnlyNulls();
        assertThat(writer.write(batch)).containsOnlyNulls();

        assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM t_matches")).isEqualTo(2);
        assertThat(text("SELECT map FROM t_matches WHERE match_id = 'm1'")).isEqualTo("new");
        assertThat(writer.droppedResends()).as("a redelivery is the same event, not another").isZero();
        assertThat(count("SELECT SUM(resends) FROM events")).isEqualTo(3);
    }

    /** Title w: its commands keep no events row ({@code event-row: false}); end writes a table row, seen only a KV record. */
    private static final String NO_EVENT_ROWS = """
            title: w
            environments: [prod]
            services:
              stats:
                commands:
                  end:
                    event-row: false
                    sql:
                      table: w_matches
                      key: [match_id]
                      columns:
                        match_id: {type: varchar(16), from: $.id}
                        map: {type: varchar(8), from: $.map}
                  seen:
                    event-row: false
                    kv:
                      key: "seen:{payload.id}"
                      fields: {map: $.map}
            """;

    private void addTitleWithoutEventRows() throws Exception {
        Files.writeString(dir.resolve("titles").resolve("w.yaml"), NO_EVENT_ROWS);
        assertThat(registry.reload().added()).containsExactly("w");
    }

    private static StoredEvent of(String routingKey, String id, String map) {
        String payload = "{\"id\":\"" + id + "\",\"map\":\"" + map + "\"}";
        return new StoredEvent(MessageIds.next(), RoutingKey.parse(routingKey), "application/json",
                payload.getBytes(StandardCharsets.UTF_8), 1000, 1000);
    }

    @StackTest
    void aCommandWithoutEventRowsWritesItsOwnSinksAndTheCachedViewButNoEventsRow() throws Exception {
        addTitleWithoutEventRows();
        StoredEvent noRow = of("w.prod.stats.end", "w1", "a");
        StoredEvent withRow = end("m1", "b", 1000);

        assertThat(writer.write(List.of(noRow, of("w.prod.stats.end", "w2", "b"), withRow))).containsOnlyNulls();

        assertThat(count("SELECT COUNT(*) FROM events")).as("t's event only").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM events WHERE message_id = '" + noRow.messageId() + "'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM w_matches")).isEqualTo(2);
        assertThat(text("SELECT gw_message_id FROM w_matches WHERE match_id = 'w1'"))
                .isEqualTo(noRow.messageId().toString());
        assertThat(count("SELECT COUNT(*) FROM t_matches")).isEqualTo(1);
        // GET /v1/events/{id} answers from this until it expires
        assertThat(cache.get(EventView.cacheKey(noRow.messageId()))).hasValueSatisfying(view ->
                assertThat(view).isEqualTo(EventView.toJson(new ObjectMapper(), noRow)));
    }

    @StackTest
    void withoutEventRowsAResendWithAnotherPayloadIsWrittenLikeAnyEventAndTheNewerRowWins() throws Exception {
        addTitleWithoutEventRows();
        StoredEvent first = of("w.prod.stats.end", "w1", "first");
        String payload = "{\"id\":\"w1\",\"map\":\"second\"}";
        StoredEvent resend = new StoredEvent(first.messageId(), first.routingKey(), "application/json",
                payload.getBytes(StandardCharsets.UTF_8), 2000, 2000);
        assertThat(writer.write(List.of(first))).containsOnlyNulls();

        assertThat(writer.write(List.of(resend))).containsOnlyNulls();

        // no events row to check the id against: the resend is not dropped
        assertThat(text("SELECT map FROM w_matches WHERE match_id = 'w1'")).isEqualTo("second");
        assertThat(writer.droppedResends()).isZero();
        assertThat(count("SELECT COUNT(*) FROM events")).isZero();
    }

    @StackTest
    void aBatchOfEventsWithNeitherAnEventsRowNorATableRowDoesNotTouchTheDatabase() throws Exception {
        addTitleWithoutEventRows();
        SinkBatchWriter writer = writerWithTheDatabaseDown();

        assertThat(writer.write(List.of(of("w.prod.stats.seen", "s1", "a"), of("w.prod.stats.seen", "s2", "b"))))
                .as("stored with the database down").containsOnlyNulls();

        assertThat(kv.get("seen:s1")).containsEntry("map", "a");
        assertThat(kv.get("seen:s2")).containsEntry("map", "b");
    }

    @StackTest
    void withTheDatabaseDownTheEventsWithoutARowInAMixedBatchAreStoredAndOnlyTheOthersWait() throws Exception {
        addTitleWithoutEventRows();
        SinkBatchWriter writer = writerWithTheDatabaseDown();

        List<Throwable> failures = writer.write(List.of(of("w.prod.stats.seen", "s3", "c"),
                of("w.prod.stats.end", "w3", "c"), end("m3", "c", 1), of("w.prod.stats.seen", "s4", "d")));

        assertThat(failures.get(0)).as("no row: stored").isNull();
        assertThat(failures.get(3)).as("no row: stored").isNull();
        assertThat(failures.get(1)).as("a table row").isInstanceOf(SQLNonTransientConnectionException.class);
        assertThat(failures.get(2)).as("an events row").isInstanceOf(SQLNonTransientConnectionException.class);
        assertThat(kv.get("seen:s3")).containsEntry("map", "c");
        assertThat(kv.get("seen:s4")).containsEntry("map", "d");
        assertThat(kv.get("match:m3")).as("written only after its commit").isEmpty();
    }

    /** Another event under {@code event}'s message id: another payload (match {@code id} on {@code map}). */
    private static StoredEvent otherUnderItsId(StoredEvent event, String id, String map) {
        String payload = "{\"id\":\"" + id + "\",\"map\":\"" + map + "\",\"kills\":9}";
        return new StoredEvent(event.messageId(), event.routingKey(), "application/json",
                payload.getBytes(StandardCharsets.UTF_8), 5000, 5000);
    }

    @StackTest
    void aMessageIdNamesOneEventTheFirstStoredIsInEverySinkAndAResendWithAnotherPayloadInNone() throws Exception {
        StoredEvent first = end("m1", "first", 1000);
        StoredEvent other = otherUnderItsId(first, "m2", "second");
        assertThat(writer.write(List.of(first))).containsOnlyNulls();

        List<Throwable> failures = writer.write(List.of(other, end("m3", "c", 1000)));

        assertThat(failures).as("acknowledged, not retried or dead-lettered").containsOnlyNulls();
        assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(2);
        assertThat(text("SELECT payload FROM events WHERE message_id = '" + first.messageId() + "'")).contains("first");
        assertThat(count("SELECT resends FROM events WHERE message_id = '" + first.messageId() + "'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM t_matches WHERE match_id = 'm2'")).isZero();
        assertThat(text("SELECT map FROM t_matches WHERE match_id = 'm1'")).isEqualTo("first");
        assertThat(text("SELECT map FROM t_matches WHERE match_id = 'm3'")).as("the batch's other event").isEqualTo("c");
        assertThat(kv.get("match:m2")).isEmpty();
        assertThat(cache.get("end:m2")).isEmpty();
        assertThat(cache.get(EventView.cacheKey(first.messageId())))
                .hasValueSatisfying(view -> assertThat(new String(view, StandardCharsets.UTF_8)).contains("first"));
        assertThat(writer.droppedResends()).isEqualTo(1);
    }

    @StackTest
    void ofTwoEventsWithOneIdInOneBatchTheFirstWins() throws Exception {
        StoredEvent first = end("m1", "first", 1000);

        assertThat(writer.write(List.of(first, otherUnderItsId(first, "m2", "second")))).containsOnlyNulls();

        assertThat(count("SELECT COUNT(*) FROM t_matches")).isEqualTo(1);
        assertThat(text("SELECT map FROM t_matches WHERE match_id = 'm1'")).isEqualTo("first");
        assertThat(cache.get("end:m2")).isEmpty();
        assertThat(writer.droppedResends()).isEqualTo(1);
    }

    @StackTest
    void aResendToAnotherRoutingKeyIsAnotherEventToo() throws Exception {
        StoredEvent first = end("m1", "first", 1000);
        StoredEvent elsewhere = new StoredEvent(first.messageId(), RoutingKey.parse("t.prod.stats.start"),
                first.contentType(), first.payload(), first.eventTimeMs(), first.receivedAtMs());

        assertThat(writer.write(List.of(first))).containsOnlyNulls();
        assertThat(writer.write(List.of(elsewhere))).containsOnlyNulls();

        assertThat(text("SELECT routing_key FROM events WHERE message_id = '" + first.messageId() + "'"))
                .isEqualTo("t.prod.stats.end");
        assertThat(writer.droppedResends()).isEqualTo(1);
    }

    @StackTest
    void anEventTheDatabaseRefusesFailsAloneAndTheOthersAreStored() throws Exception {
        StoredEvent tooLong = end("m2", "far-too-long-for-varchar-8", 1000);
        List<StoredEvent> batch = List.of(end("m1", "a", 1000), tooLong, end("m3", "c", 1000));

        List<Throwable> failures = writer.write(batch);

        assertThat(failures.get(0)).isNull();
        assertThat(failures.get(1)).isInstanceOf(SQLException.class);
        assertThat(failures.get(2)).isNull();
        assertThat(count("SELECT COUNT(*) FROM t_matches")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM events")).isEqualTo(2);
        assertThat(kv.get("match:m2")).isEmpty(); // nothing after a commit that did not happen
        assertThat(cache.get("end:m2")).isEmpty();
    }

    @StackTest
    void anEventThatCannotBePlannedFailsAlone() {
        StoredEvent notJson = new StoredEvent(MessageIds.next(), RoutingKey.parse("t.prod.stats.end"),
                "application/json", "{not json".getBytes(StandardCharsets.UTF_8), 1, 1);
        StoredEvent wrongType = new StoredEvent(MessageIds.next(), RoutingKey.parse("t.prod.stats.end"),
                "application/json", "{\"id\":\"m9\",\"kills\":\"many\"}".getBytes(StandardCharsets.UTF_8), 1, 1);

        List<Throwable> failures = writer.write(List.of(notJson, end("m1", "a", 1), wrongType));

        assertThat(failures.get(0)).isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        assertThat(failures.get(1)).isNull();
        assertThat(failures.get(2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kills");
    }

    @StackTest
    void anUnreachableDatabaseFailsTheWholeBatchForItsRetry() throws Exception {
        SinkBatchWriter writer = writerWithTheDatabaseDown();

        List<Throwable> failures = writer.write(List.of(end("m1", "a", 1), end("m2", "b", 1)));

        assertThat(failures).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(SQLNonTransientConnectionException.class));
        assertThat(failures.get(0)).isSameAs(failures.get(1)); // failed whole, not event by event
        assertThat(kv.get("match:m1")).isEmpty();
    }

    /** A writer on this test's KV store and cache whose database refuses every connection. */
    private SinkBatchWriter writerWithTheDatabaseDown() {
        DataSource down = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new SQLNonTransientConnectionException("Connection refused");
                });
        ObjectMapper json = new ObjectMapper();
        return new SinkBatchWriter(down, new SqlEventStore(down), new TitleSinks(json, registry, kv, cache), cache,
                Duration.ofMinutes(1), json);
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private String text(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
