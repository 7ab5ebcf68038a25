package io.gamewire.admin.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a failed console query is told apart: the time limit (504) or the query itself (400). */
class SqlFailedExceptionTest {

    @ParameterizedTest
    @CsvSource({
        "'Query execution was interrupted, maximum statement execution time exceeded', HY000, 3024, true",
        "Query execution was interrupted, 70100, 1317, true",
        "Query execution was interrupted (max_statement_time exceeded), 70100, 1969, true",
        "Statement was canceled or the session timed out, 57014, 57014, true",
        "Unknown column x in field list, 42S22, 1054, false",
        "Admin rights are required for this operation, 90040, 90040, false",
    })
    void timeoutsAreToldFromOtherFailuresByStateAndCode(String message, String state, int code, boolean timedOut) {
        assertThat(SqlFailedException.timedOut(new SQLException(message, state, code))).isEqualTo(timedOut);
        // the drivers' own timeout exceptions (Connector/J's MySQLTimeoutException, H2's JdbcSQLTimeoutException)
        assertThat(SqlFailedException.timedOut(new SQLTimeoutException(message))).isTrue();
    }
}
