package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Upserts into a title table on every supported database (one run per {@link Stack}): by key,
 * newest event wins, idempotent.
 */
class RowUpserterTest {

    private static final RowUpserter.Table TABLE = new RowUpserter.Table("player_matches",
            List.of("player_id", "match_id"), List.of("kills", "accuracy", "won", "map"));

    private HikariDataSource dataSource;
    private RowUpserter upserter;

    @BeforeEach
    void createTable(HikariDataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE player_matches (player_id VARCHAR(64) NOT NULL, match_id BIGINT NOT NULL,"
                    + " kills INT, accuracy DOUBLE, won BOOLEAN, map VARCHAR(64),"
                    + " gw_message_id CHAR(36) NOT NULL, gw_event_time BIGINT NOT NULL,"
                    + " PRIMARY KEY (player_id, match_id))");
        }
        upserter = new RowUpserter(dataSource);
    }

    @AfterEach
    void dropTable() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE player_matches");
        }
    }

    private static RowUpserter.Row row(String player, long match, Long kills, String map, String id, long time) {
        Map<String, Object> values = new HashMap<>();
        values.put("player_id", player);
        values.put("match_id", match);
        values.put("kills", kills);
        values.put("accuracy", 0.5);
        values.put("won", Boolean.TRUE);
        values.put("map", map);
        return new RowUpserter.Row(values, id, time);
    }

    private Map<String, Object> read(String player, long match) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT kills, map, gw_message_id, gw_event_time, accuracy, won"
                     + " FROM player_matches WHERE player_id = '" + player + "' AND match_id = " + match)) {
            assertThat(rows.next()).as("row %s/%s exists", player, match).isTrue();
            Map<String, Object> row = new HashMap<>();
            row.put("kills", rows.getObject(1) == null ? null : rows.getLong(1));
            row.put("map", rows.getString(2));
            row.put("id", rows.getString(3));
            row.put("time", rows.getLong(4));
            row.put("accuracy", rows.getDouble(5));
            row.put("won", rows.getBoolean(6));
            assertThat(rows.next()).isFalse();
            return row;
        }
    }

    @StackTest
    void aNewerEventReplacesTheRowAndAnOlderOneDoesNot() throws Exception {
        upserter.upsert(TABLE, List.of(row("ada", 1, 3L, "Blood Gulch", "m-2", 200)));
        upserter.upsert(TABLE, List.of(row("ada", 1, 9L, "Sidewinder", "m-1", 100)));

        assertThat(read("ada", 1)).containsEntry("kills", 3L).containsEntry("map", "Blood Gulch")
                .containsEntry("id", "m-2").containsEntry("time", 200L);

        upserter.upsert(TABLE, List.of(row("ada", 1, 11L, null, "m-3", 300)));

        assertThat(read("ada", 1)).containsEntry("kills", 11L).containsEntry("map", null)
                .containsEntry("id", "m-3").containsEntry("time", 300L).containsEntry("accuracy", 0.5)
                .containsEntry("won", true);
    }

    @StackTest
    void aBatchUpsertsEveryRowAndARedeliveryChangesNothing() throws Exception {
        List<RowUpserter.Row> batch = List.of(row("ada", 1, 1L, "a", "x-1", 10), row("bob", 1, 2L, "b", "x-2", 10),
                row("ada", 2, 3L, "c", "x-3", 10));

        upserter.upsert(TABLE, batch);
        upserter.upsert(TABLE, batch);

        assertThat(read("ada", 1)).containsEntry("kills", 1L);
        assertThat(read("bob", 1)).containsEntry("kills", 2L);
        assertThat(read("ada", 2)).containsEntry("kills", 3L).containsEntry("id", "x-3");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM player_matches")) {
            count.next();
            assertThat(count.getInt(1)).isEqualTo(3);
        }
    }
}
