package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2DatabaseCheckTest {

    @TempDir
    Path folder;

    @Test
    void aWorkingDatabaseIsNotBroken() {
        String url = "jdbc:h2:file:" + folder.resolve("db/working") + ";MODE=MySQL";
        try (HikariDataSource pool = PooledDataSources.create(url, "sa", "", 2, 3000)) {
            assertThat(new H2DatabaseCheck(pool, url).brokenBy()).isNull();
        }
    }

    /**
     * After a failed write H2 closes the database, and the connections it had handed out answer
     * 90098 ("The database has been closed") to every statement: broken, until a restart.
     */
    @Test
    void aConnectionToADatabaseThatClosedItselfIsBroken() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("db/closed");
        Connection held = DriverManager.getConnection(url, "sa", "");
        // what a failed write does: the database's MVStore panics, and H2 closes the database
        org.h2.mvstore.MVStoreException failedWrite = org.h2.mvstore.DataUtils.newMVStoreException(
                org.h2.mvstore.DataUtils.ERROR_WRITING_FAILED, "No space left on device");
        assertThatThrownBy(() -> ((org.h2.engine.SessionLocal) ((org.h2.jdbc.JdbcConnection) held).getSession())
                .getDatabase().getStore().getMvStore().panic(failedWrite)).isSameAs(failedWrite);

        String broken = new H2DatabaseCheck(handingOut(held), url).brokenBy();

        assertThat(broken).isEqualTo("the embedded H2 database " + url + " failed a write, and is closed to writes: "
                + failedWrite.getMessage());
        assertThatThrownBy(held::close).as("H2 reports the failed write at the close too")
                .hasMessageContaining("No space left on device");
    }

    /** Later, H2 closes the database: every statement answers 90098, which is broken too. */
    @Test
    void aDatabaseClosedByH2IsBroken() {
        SQLException closed = new SQLException("The database has been closed [90098-232]", "90098", 90098);
        java.sql.Statement statement = proxy(java.sql.Statement.class, method -> {
            if (method.equals("execute")) {
                throw closed;
            }
            return null;
        });
        Connection connection = proxy(Connection.class,
                method -> method.equals("createStatement") ? statement : method.equals("isWrapperFor") ? false : null);
        DataSource dataSource = proxy(DataSource.class, method -> connection);

        assertThat(new H2DatabaseCheck(dataSource, "jdbc:h2:file:./data/db/gamewire").brokenBy()).isEqualTo(
                "the embedded H2 database jdbc:h2:file:./data/db/gamewire closed itself after a failed write: "
                        + closed.getMessage());
    }

    /** What a proxy's method answers, by the method's name. */
    @FunctionalInterface
    private interface Answer {
        Object answer(String method) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName()));
    }

    /** A busy pool or a slow query is not a broken store: that is the database health check's to say. */
    @Test
    void otherErrorsAreNotABrokenStore() {
        DataSource busy = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    throw new SQLTransientConnectionException("Connection is not available, request timed out after 3000ms");
                });
        assertThat(new H2DatabaseCheck(busy, "jdbc:h2:file:./x").brokenBy()).isNull();
    }

    @Test
    void onlyH2DatabasesInFilesAreChecked() {
        assertThat(H2DatabaseCheck.isH2File("jdbc:h2:file:./data/db/gamewire;MODE=MySQL")).isTrue();
        assertThat(H2DatabaseCheck.isH2File("jdbc:h2:~/gamewire")).isTrue();
        assertThat(H2DatabaseCheck.isH2File("JDBC:H2:./data/db/gamewire")).isTrue();
        assertThat(H2DatabaseCheck.isH2File("jdbc:h2:mem:x")).isFalse();
        assertThat(H2DatabaseCheck.isH2File("jdbc:h2:tcp://db:9092/gamewire")).isFalse();
        assertThat(H2DatabaseCheck.isH2File("jdbc:mysql://127.0.0.1:3306/gamewire")).isFalse();
    }

    /** A data source that hands out {@code connection}, whose close the test leaves to itself. */
    private DataSource handingOut(Connection connection) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new SQLException("not for this test: " + method.getName());
                    }
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (c, m, a) -> m.getName().equals("close") ? null : m.invoke(connection, a));
                });
    }
}
