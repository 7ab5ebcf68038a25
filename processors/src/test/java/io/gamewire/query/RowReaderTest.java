package io.gamewire.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import io.gamewire.testsupport.TitleFixtures;
import io.gamewire.titles.TitleFileParser;
import io.gamewire.titles.TitleTables;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * Reading one row of a title table by its key, typed by the title file, on every supported database:
 * one run per {@link Stack}.
 */
class RowReaderTest {

    private static final String TITLE = TitleFixtures.read("t-rounds");

    private SqlSink table;
    private RowReader reader;

    @BeforeEach
    void open(HikariDataSource dataSource) throws Exception {
        TitleFileParser.Result result = new TitleFileParser().parse(Path.of("t.yaml"), TITLE);
        assertThat(result.problems()).isEmpty();
        TitleDefinition title = result.definition();
        new TitleTables(dataSource).apply(title);
        table = title.services().get("stats").commands().get("end").sql();
        reader = new RowReader(dataSource);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO r_rounds (match_id, round, map, notes, kills, accuracy, ranked, gw_message_id,"
                    + " gw_event_time) VALUES ('m1', 1, 'Blood Gulch', 'close one', 12345678901, 0.25, TRUE,"
                    + " '0190b6c2-7f3e-7abc-8def-0123456789ab', 1)");
            statement.execute("INSERT INTO r_rounds (match_id, round, map, notes, kills, accuracy, ranked, gw_message_id,"
                    + " gw_event_time) VALUES ('m1', 2, NULL, NULL, NULL, NULL, FALSE,"
                    + " '0190b6c2-7f3e-7abc-8def-0123456789ac', 2)");
        }
    }

    private static Map<String, Object> key(String matchId, long round) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("match_id", matchId);
        key.put("round", round);
        return key;
    }

    @StackTest
    void readsTheDeclaredColumnsTypedAsDeclaredInTheFilesOrder() throws Exception {
        assertThat(reader.read(table, key("m1", 1))).hasValueSatisfying(row -> assertThat(row).containsExactly(
                Map.entry("match_id", "m1"), Map.entry("round", 1L), Map.entry("map", "Blood Gulch"),
                Map.entry("notes", "close one"), Map.entry("kills", 12345678901L), Map.entry("accuracy", 0.25),
                Map.entry("ranked", true)));
    }

    @StackTest
    void leavesNullColumnsOutAndAFalseBooleanIn() throws Exception {
        assertThat(reader.read(table, key("m1", 2))).hasValueSatisfying(row -> assertThat(row).containsExactly(
                Map.entry("match_id", "m1"), Map.entry("round", 2L), Map.entry("ranked", false)));
    }

    @StackTest
    void noRowWithThatKeyIsEmpty() throws Exception {
        assertThat(reader.read(table, key("m1", 3))).isEmpty();
        assertThat(reader.read(table, key("m2", 1))).isEmpty();
    }
}
