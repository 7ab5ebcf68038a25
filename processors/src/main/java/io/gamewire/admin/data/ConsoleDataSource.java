package io.gamewire.admin.data;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.config.StartupException;
import io.gamewire.sinks.sql.JdbcUrls;
import io.gamewire.sinks.sql.PooledDataSources;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account the SQL console ({@link SqlConsole}) runs its queries as: the guard at the database,
 * under the check of {@link ReadOnlySelect}.
 * <ul>
 *   <li>H2 has no read-only transaction, and gamewire's own user ({@code sa}) is an admin, which may
 *       call {@code FILE_READ}, {@code FILE_WRITE}, {@code CSVWRITE} and {@code LINK_SCHEMA}. So at
 *       start gamewire makes a user that is no admin ({@code gamewire.console.sql-user}, else
 *       {@value #H2_USER}), sets its password ({@code gamewire.console.sql-password}, else a random one
 *       each start) and grants it {@code SELECT} on gamewire's schema (which covers title tables made
 *       later); the console's small pool connects as that user. Should gamewire's own user not be an
 *       admin, it cannot make users, and cannot call those functions either: the console then runs as
 *       gamewire's user, with a warning.</li>
 *   <li>MySQL/MariaDB: the transaction is {@code READ ONLY} ({@link SqlConsole}); with
 *       {@code gamewire.console.sql-user} set, the console connects as that account, which the
 *       operator creates with {@code SELECT} on gamewire's database only (no {@code FILE} privilege);
 *       without it, as gamewire's own account.</li>
 * </ul>
 */
public final class ConsoleDataSource implements AutoCloseable {

    /** The H2 user gamewire makes for the console when {@code gamewire.console.sql-user} is empty. */
    public static final String H2_USER = "gamewire_console";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleDataSource.class);
    /** A user name that can stand unquoted in H2's CREATE USER. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final int POOL_SIZE = 2;

    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final String user;

    private ConsoleDataSource(DataSource dataSource, HikariDataSource ownPool, String user) {
        this.dataSource = dataSource;
        this.ownPool = ownPool;
        this.user = user;
    }

    /**
     * @param gamewire     gamewire's own pool, which makes the H2 user
     * @param jdbcUrl      {@code gamewire.db.url}
     * @param gamewireUser {@code gamewire.db.user}
     * @param user         {@code gamewire.console.sql-user}, empty for the default
     * @param password     {@code gamewire.console.sql-password}, empty for a random one on H2
     * @throws StartupException when the console's user cannot be made or cannot connect
     */
    public static ConsoleDataSource open(DataSource gamewire, String jdbcUrl, String gamewireUser, String user,
                                         String password, long timeoutMillis) {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            if (user.isEmpty()) {
                return new ConsoleDataSource(gamewire, null, gamewireUser);
            }
            return new ConsoleDataSource(null, pool(jdbcUrl, user, password, timeoutMillis), user);
        }
        String name = user.isEmpty() ? H2_USER : user;
        if (!NAME.matcher(name).matches() || name.equalsIgnoreCase(gamewireUser)) {
            throw new StartupException("property gamewire.console.sql-user must be a name of letters, digits and _,"
                    + " not gamewire.db.user (" + gamewireUser + "), was '" + name + "'");
        }
        String secret = password.isEmpty() ? HexFormat.of().formatHex(new SecureRandom().generateSeed(24)) : password;
        try (Connection connection = gamewire.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE USER IF NOT EXISTS " + name + " PASSWORD " + literal(secret));
            if (isAdmin(connection, name)) {
                throw new StartupException("the H2 user " + name + " (gamewire.console.sql-user) is an admin: the SQL"
                        + " console needs a user that may only read; name another");
            }
            statement.execute("ALTER USER " + name + " SET PASSWORD " + literal(secret));
            statement.execute("GRANT SELECT ON SCHEMA \"" + connection.getSchema().replace("\"", "\"\"") + "\" TO "
                    + name);
        } catch (SQLException e) {
            LOG.warn("The SQL console runs as gamewire's own H2 user {}: it cannot make the user {} ({}); that user"
                    + " is no admin either, so it cannot call FILE_READ and the like", gamewireUser, name,
                    e.getMessage().lines().findFirst().orElse(""));
            return new ConsoleDataSource(gamewire, null, gamewireUser);
        }
        LOG.info("The SQL console connects to H2 as {}, which may only SELECT from gamewire's tables", name);
        return new ConsoleDataSource(null, pool(jdbcUrl, name, secret, timeoutMillis), name);
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, long timeoutMillis) {
        try {
            return PooledDataSources.create(jdbcUrl, user, password, POOL_SIZE, timeoutMillis);
        } catch (RuntimeException e) {
            throw new StartupException("the SQL console cannot connect to "
                    + JdbcUrls.withoutSecrets(jdbcUrl) + " as " + user
                    + " (gamewire.console.sql-user, gamewire.console.sql-password): " + e.getMessage(), e);
        }
    }

    private static boolean isAdmin(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE UPPER(USER_NAME) = UPPER(?)")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** An SQL string literal: quotes doubled, the only escape H2 knows. */
    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    public DataSource dataSource() {
        return ownPool != null ? ownPool : dataSource;
    }

    /** The database user the console's queries run as. */
    public String user() {
        return user;
    }

    /** Closes the console's own pool, if it has one (gamewire's is closed with the database). */
    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
