package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Table creation and evolution from title files, on every supported database. */
abstract class TitleTablesContract {

    private static final String TITLE = """
            title: t
            environments: [prod]
            services:
              stats:
                commands:
                  end:
                    sql:
                      table: t_matches
                      key: [match_id]
                      columns:
            %s
            """;

    protected HikariDataSource dataSource;
    private TitleTables tables;

    protected abstract HikariDataSource openDatabase();

    protected void dropDatabase() {
    }

    @BeforeEach
    void open() {
        dataSource = openDatabase();
        tables = new TitleTables(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
        dropDatabase();
    }

    private static TitleDefinition title(String... columns) {
        String lines = String.join("\n", java.util.Arrays.stream(columns).map(c -> "              " + c).toList());
        TitleFileParser.Result result = new TitleFileParser().parse(Path.of("t.yaml"), TITLE.formatted(lines));
        assertThat(result.problems()).isEmpty();
        return result.definition();
    }

    private static final String ID = "match_id: {type: varchar(64), from: $.id}";
    private static final String MAP = "map: {type: varchar(32), from: $.map}";
    private static final String KILLS = "kills: {type: int, from: $.kills}";

    @Test
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

    @Test
    void allColumnTypesAreRecognisedOnTheSecondPass() throws Exception {
        TitleDefinition all = title(ID, "a: {type: text, from: $.a}", "b: {type: bigint, from: $.b}",
                "c: {type: double, from: $.c}", "d: {type: boolean, from: $.d}", KILLS);
        tables.apply(all);

        assertThat(tables.plan(all)).isEmpty();
    }

    @Test
    void aRemovedColumnIsRefused() throws Exception {
        tables.apply(title(ID, MAP));

        assertThatThrownBy(() -> tables.plan(title(ID)))
                .isInstanceOf(TitleTables.RefusedChangeException.class)
                .hasMessageContaining("table t_matches (title t) has column 'map', which the title file no longer declares");
    }

    @Test
    void aRetypedColumnIsRefused() throws Exception {
        tables.apply(title(ID, MAP));

        assertThatThrownBy(() -> tables.plan(title(ID, "map: {type: varchar(64), from: $.map}")))
                .hasMessageContaining("column 'map' is varchar(32) in the database, the title file says varchar(64)");
        assertThatThrownBy(() -> tables.plan(title(ID, "map: {type: int, from: $.map}")))
                .hasMessageContaining("column 'map' is varchar(32) in the database, the title file says int");
    }
}
