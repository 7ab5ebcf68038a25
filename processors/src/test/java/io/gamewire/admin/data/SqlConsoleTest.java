package io.gamewire.admin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import io.gamewire.testsupport.TestRegistries;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the SQL console shows of redacted data, on each database ({@link Stack}): a column a sink
 * fills from a {@code redact: true} field is {@code ***} however it is named, {@code events.payload}
 * is redacted row by row by its routing key (masked whole without it), {@code events.attributes}
 * loses its secret-named attributes, and any other use of such a column is refused.
 */
class SqlConsoleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path titlesDir;

    private SqlConsole console;
    private final String signup = MessageIds.next().toString();
    private TitleRegistry titles;

    @BeforeEach
    void storeARegistration(HikariDataSource dataSource) throws Exception {
        Files.writeString(titlesDir.resolve("arena.yaml"), """
                title: arena
                environments: [prod]
                services:
                  accounts:
                    commands:
                      registered:
                        schema:
                          required: [player]
                          fields: {player: string, email: {type: string, redact: true}}
                        sql:
                          table: arena_regs
                          key: [player]
                          columns:
                            player: {type: varchar(64), from: $.player}
                            email: {type: varchar(128), from: $.email}
                      open: {}
                """);
        titles = TestRegistries.applyingNothing(titlesDir);
        assertThat(titles.reload().problems()).isEmpty();
        SchemaMigrator.migrate(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute("CREATE TABLE arena_regs (player VARCHAR(64), email VARCHAR(128))");
            connection.createStatement().execute("INSERT INTO arena_regs VALUES ('dee', 'dee@example.org'), ('eve', NULL)");
        }
        SqlEventStore events = new SqlEventStore(dataSource);
        events.store(new StoredEvent(java.util.UUID.fromString(signup), RoutingKey.parse("arena.prod.accounts.registered"),
                "application/json", "{\"player\":\"dee\",\"email\":\"dee@example.org\"}".getBytes(StandardCharsets.UTF_8),
                1L, 2L, Map.of("gw-source", "http", "api_key", "k-123", "team", "red")));
        events.store(new StoredEvent(MessageIds.next(), RoutingKey.parse("arena.prod.accounts.open"), "application/json",
                "{\"email\":\"open@example.org\"}".getBytes(StandardCharsets.UTF_8), 3L, 4L));
        console = new SqlConsole(dataSource, 100, 10, titles, new PayloadRedaction(titles), JSON);
    }

    private List<List<Object>> rows(String sql) throws Exception {
        return console.query(sql, 100).rows();
    }

    @StackTest
    void aColumnFilledFromARedactedFieldIsMaskedUnderAnyNameAndNullStaysNull() throws Exception {
        assertThat(rows("SELECT player, email FROM arena_regs ORDER BY player"))
                .containsExactly(List.of("dee", "***"), java.util.Arrays.asList("eve", null));
        assertThat(rows("SELECT r.email AS e FROM arena_regs r WHERE r.player = 'dee'")).containsExactly(List.of("***"));
        assertThat(rows("SELECT * FROM arena_regs WHERE player = 'dee'")).containsExactly(List.of("dee", "***"));
    }

    @StackTest
    void aStoredPayloadIsRedactedByItsRowsRoutingKeyAndMaskedWholeWithoutIt() throws Exception {
        List<List<Object>> rows = rows("SELECT routing_key, payload, attributes FROM events ORDER BY event_time_ms");
        assertThat(((JsonNode) rows.get(0).get(1)).path("email").asText()).isEqualTo("***");
        assertThat(((JsonNode) rows.get(0).get(1)).path("player").asText()).isEqualTo("dee");
        // a command that marks nothing is shown as it is
        assertThat(((JsonNode) rows.get(1).get(1)).path("email").asText()).isEqualTo("open@example.org");
        assertThat(rows.get(0).get(2)).isEqualTo(Map.of("gw-source", "http", "team", "red"));

        assertThat(rows("SELECT payload FROM events ORDER BY event_time_ms")).containsExactly(List.of("***"), List.of("***"));
        assertThat(JSON.valueToTree(rows("SELECT * FROM events")).toString()).doesNotContain("dee@example.org", "k-123");
    }

    @StackTest
    void anyOtherUseOfARedactedColumnIsRefusedNamingIt() {
        assertThatThrownBy(() -> rows("SELECT UPPER(email) FROM arena_regs")).isInstanceOf(SqlRefusedException.class)
                .hasMessageContaining("column arena_regs.email holds $.email of arena's command accounts.registered");
        assertThatThrownBy(() -> rows("SELECT message_id FROM events WHERE payload LIKE '%dee@%'"))
                .isInstanceOf(SqlRefusedException.class).hasMessageContaining("column events.payload");
    }

    @StackTest
    void aQueryTheDatabaseRefusesIsASqlFailureWithItsMessageNotAnError() {
        assertThatThrownBy(() -> rows("SELECT no_such_column FROM arena_regs")).isInstanceOfSatisfying(
                SqlFailedException.class, failure -> {
                    assertThat(failure.timedOut()).isFalse();
                    assertThat(failure.getMessage()).startsWith("the database refused the query: ")
                            .containsIgnoringCase("no_such_column");
                });
    }

    @StackTest
    void aQueryThatRunsPastTheTimeoutIsCancelledAndSaysWhichSetting(HikariDataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute("CREATE TABLE slow_rows (n INT)");
            java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO slow_rows VALUES (?)");
            for (int n = 0; n < 1000; n++) {
                insert.setInt(1, n);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        SqlConsole oneSecond = new SqlConsole(dataSource, 100, 1, titles, new PayloadRedaction(titles), JSON);
        long started = System.nanoTime();
        // a billion combinations: far longer than a second on either database
        assertThatThrownBy(() -> oneSecond.query("SELECT COUNT(*) FROM slow_rows a, slow_rows b, slow_rows c"
                + " WHERE a.n + b.n + c.n < 0", 10)).isInstanceOfSatisfying(SqlFailedException.class, failure -> {
                    assertThat(failure.timedOut()).as(failure.getMessage()).isTrue();
                    assertThat(failure.getMessage()).startsWith("the query ran longer than gamewire.console.sql-timeout"
                            + " (1 s) and was cancelled");
                });
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));
    }
}
