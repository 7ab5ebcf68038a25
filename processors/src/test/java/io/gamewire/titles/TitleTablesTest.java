package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import io.gamewire.testsupport.TitleFixtures;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** Table creation and evolution from title files, on every supported database: one run per {@link Stack}. */
class TitleTablesTest {

    private HikariDataSource dataSource;
    private TitleTables tables;

    @BeforeEach
    void open(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        tables = new TitleTables(dataSource);
    }

    /** Fixture t-matches with these columns of table t_matches. */
    private static TitleDefinition title(String... columns) {
        TitleFileParser.Result result = new TitleFileParser().parse(Path.of("t.yaml"),
                TitleFixtures.read("t-matches", Map.of("columns", String.join("\n", columns))));
        assertThat(result.problems()).isEmpty();
        return result.definition();
    }

    private static final String ID = "match_id: {type: varchar(64), from: $.id}";
    private static final String MAP = "map: {type: varchar(32), from: $.map}";
    private static final String KILLS = "kills: {type: int, from: $.kills}";

    @StackTest
    void createsTheTableThenAddsNewColumns() throws Exception {
        assertThat(tables.apply(title(ID, MAP))).singleElement().asString().startsWith("CREATE TABLE t_matches");
        assertThat(tables.apply(title(ID, MAP))).isEmpty();

        assertThat(tables.apply(title(ID, MAP, KILLS)))
                .containsExactly("ALTER TABLE t_matches ADD COLUMN kills INT");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO t_matches (match_id, map, kills, gw_message_id, gw_event_time)"
                    + " VALUES ('m1', 'x', 3, '0190b6c2-7f3e-7abc-8def-0123456789ab', 1)");
        }
    }

    @StackTest
    void allColumnTypesAreRecognisedOnTheSecondPass() throws Exception {
        TitleDefinition all = title(ID, "a: {type: text, from: $.a}", "b: {type: bigint, from: $.b}",
                "c: {type: double, from: $.c}", "d: {type: boolean, from: $.d}", KILLS);
        tables.apply(all);

        assertThat(tables.plan(all)).isEmpty();
    }

    @StackTest
    void aRemovedColumnIsRefused() throws Exception {
        tables.apply(title(ID, MAP));

        assertThatThrownBy(() -> tables.plan(title(ID)))
                .isInstanceOf(TitleTables.RefusedChangeException.class)
                .hasMessageContaining("table t_matches (title t) has column 'map', which the title file no longer declares");
    }

    @StackTest
    void aRetypedColumnIsRefused() throws Exception {
        tables.apply(title(ID, MAP));

        assertThatThrownBy(() -> tables.plan(title(ID, "map: {type: varchar(64), from: $.map}")))
                .hasMessageContaining("column 'map' is varchar(32) in the database, the title file says varchar(64)");
        assertThatThrownBy(() -> tables.plan(title(ID, "map: {type: int, from: $.map}")))
                .hasMessageContaining("column 'map' is varchar(32) in the database, the title file says int");
    }
}
