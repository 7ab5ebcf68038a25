package io.gamewire.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Where the real services of the {@code services} profile are, and helpers that give each test run
 * its own database and key prefix. Addresses come from environment variables with the defaults of
 * the CI machine; a service that does not answer fails the test with its name and address.
 */
public final class RealServices {

    public static final String RABBIT_HOST = env("GAMEWIRE_TEST_RABBITMQ_HOST", "127.0.0.1");
    public static final int RABBIT_PORT = Integer.parseInt(env("GAMEWIRE_TEST_RABBITMQ_PORT", "5672"));
    public static final String RABBIT_USER = env("GAMEWIRE_TEST_RABBITMQ_USER", "guest");
    public static final String RABBIT_PASSWORD = env("GAMEWIRE_TEST_RABBITMQ_PASSWORD", "guest");
    public static final String MYSQL_HOST = env("GAMEWIRE_TEST_MYSQL_HOST", "127.0.0.1");
    public static final int MYSQL_PORT = Integer.parseInt(env("GAMEWIRE_TEST_MYSQL_PORT", "3306"));
    public static final String MYSQL_USER = env("GAMEWIRE_TEST_MYSQL_USER", "root");
    public static final String MYSQL_PASSWORD = env("GAMEWIRE_TEST_MYSQL_PASSWORD", "");
    public static final String REDIS_HOST = env("GAMEWIRE_TEST_REDIS_HOST", "127.0.0.1");
    public static final int REDIS_PORT = Integer.parseInt(env("GAMEWIRE_TEST_REDIS_PORT", "6379"));
    public static final String MEMCACHED_SERVERS = env("GAMEWIRE_TEST_MEMCACHED_SERVERS", "127.0.0.1:11211");

    private RealServices() {
    }

    /** A name no other test run uses: lower case letters and digits, starting with a letter. */
    public static String uniqueName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    /** Fails with the service's name and address unless something accepts TCP connections there. */
    public static void requireReachable(String service, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            throw new AssertionError(service + " is not reachable at " + host + ":" + port
                    + " (the services profile needs it; .ci/run starts it): " + e.getMessage(), e);
        }
    }

    /** JDBC URL of database {@code name} on the real MySQL/MariaDB server. */
    public static String mysqlUrl(String database) {
        return mysqlUrl(MYSQL_HOST, MYSQL_PORT, database);
    }

    /** JDBC URL of database {@code name} at {@code host:port} (e.g. a proxy in front of the server). */
    public static String mysqlUrl(String host, int port, String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + database
                + "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true&connectTimeout=3000&socketTimeout=10000";
    }

    /** Creates database {@code name}; the caller drops it with {@link #dropDatabase(String)}. */
    public static void createDatabase(String name) {
        adminStatement("CREATE DATABASE " + name);
    }

    public static void dropDatabase(String name) {
        adminStatement("DROP DATABASE IF EXISTS " + name);
    }

    private static void adminStatement(String sql) {
        requireReachable("MySQL/MariaDB", MYSQL_HOST, MYSQL_PORT);
        try (Connection connection = DriverManager.getConnection(mysqlUrl(""), MYSQL_USER, MYSQL_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("MySQL/MariaDB at " + MYSQL_HOST + ":" + MYSQL_PORT + " refused '" + sql + "': "
                    + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
