package io.gamewire.admin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.config.StartupException;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.testsupport.RealServices;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database account of the SQL console, the guard under the check: on H2 a user gamewire makes
 * that may only SELECT (so FILE_READ, FILE_WRITE, CSVWRITE are refused by H2 itself, whatever got
 * past the check); on MySQL/MariaDB gamewire's own account unless {@code gamewire.console.sql-user}
 * names one.
 */
class ConsoleDataSourceTest {

    @TempDir
    Path files;

    @StackTest(Stack.EMBEDDED)
    void onH2TheConsoleIsAUserThatMayOnlySelectEvenFromTablesMadeLater(HikariDataSource dataSource) throws Exception {
        SchemaMigrator.migrate(dataSource);
        try (ConsoleDataSource console = ConsoleDataSource.open(dataSource, dataSource.getJdbcUrl(),
                dataSource.getUsername(), "", "", 3000)) {
            execute(dataSource, "CREATE TABLE made_later (n INT)", "INSERT INTO made_later VALUES (7)");
            assertThat(console.user()).isEqualTo(ConsoleDataSource.H2_USER);
            Path written = files.resolve("written.txt");
            try (Connection connection = console.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT COUNT(*) FROM events")).isEqualTo(0);
                assertThat(single(statement, "SELECT n FROM made_later")).isEqualTo(7);
                assertThatThrownBy(() -> statement.executeQuery("SELECT FILE_WRITE('x', '" + written + "')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("Admin rights are required");
                assertThatThrownBy(() -> statement.executeQuery("SELECT `FILE_READ`('" + written + "', NULL)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("Admin rights are required");
                assertThatThrownBy(() -> statement.execute("CALL CSVWRITE('" + written + "', 'SELECT 1')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("Admin rights are required");
                assertThatThrownBy(() -> statement.execute("INSERT INTO made_later VALUES (8)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("Not enough rights");
            }
            assertThat(written).doesNotExist();
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT COUNT(*) FROM made_later")).isEqualTo(1);
            }
        }
    }

    @StackTest(Stack.EMBEDDED)
    void onH2TheConsolesUserCannotBeGamewiresOwnAdmin(HikariDataSource dataSource) {
        assertThatThrownBy(() -> ConsoleDataSource.open(dataSource, dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getUsername(), "", 3000)).isInstanceOf(StartupException.class)
                .hasMessageContaining("gamewire.console.sql-user must be a name of letters, digits and _, not"
                        + " gamewire.db.user");
    }

    @StackTest(Stack.SERVICES)
    void onMysqlTheConsoleRunsAsGamewiresAccountUnlessOneIsNamed(HikariDataSource dataSource) throws Exception {
        try (ConsoleDataSource own = ConsoleDataSource.open(dataSource, dataSource.getJdbcUrl(),
                dataSource.getUsername(), "", "", 3000)) {
            assertThat(own.dataSource()).isSameAs(dataSource);
        }
        String database;
        try (Connection connection = dataSource.getConnection()) {
            database = connection.getCatalog();
        }
        String account = RealServices.uniqueName("gwc_");
        execute(dataSource, "CREATE TABLE scores (n INT)", "INSERT INTO scores VALUES (7)",
                "CREATE USER '" + account + "'@'%' IDENTIFIED BY 'reads-only'",
                "GRANT SELECT ON " + database + ".* TO '" + account + "'@'%'");
        try (ConsoleDataSource named = ConsoleDataSource.open(dataSource, dataSource.getJdbcUrl(),
                dataSource.getUsername(), account, "reads-only", 3000);
             Connection connection = named.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            assertThat(named.user()).isEqualTo(account);
            assertThat(single(statement, "SELECT n FROM scores")).isEqualTo(7);
            assertThatThrownBy(() -> statement.execute("INSERT INTO scores VALUES (8)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        } finally {
            execute(dataSource, "DROP USER '" + account + "'@'%'");
        }
    }

    private static void execute(HikariDataSource dataSource, String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static int single(Statement statement, String query) throws SQLException {
        try (ResultSet row = statement.executeQuery(query)) {
            assertThat(row.next()).isTrue();
            return row.getInt(1);
        }
    }
}
