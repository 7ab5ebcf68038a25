package io.gamewire.it;

import static org.awaitility.Awaitility.await;

import io.gamewire.testsupport.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of the test's own, from the installed {@code mariadbd}, that takes TLS
 * connections only ({@code require_secure_transport}): its own data folder (made by
 * {@code mariadb-install-db}, root without a password), socket and port on 127.0.0.1, no option
 * files read. The machine's server on 3306 has TLS disabled. A child process of the test's JVM:
 * {@link #close()} (or a shutdown hook, when a run is cut short) stops it and deletes its folder.
 */
final class TlsMariaDb implements AutoCloseable {

    static final String TRUST_PASSWORD = "trust-" + io.gamewire.testsupport.RealServices.uniqueName("");

    final int port;
    /** Connector/J's trust store of the test's CA (PKCS#12, as keytool -importcert makes it). */
    final Path trustStore;
    private final Path dir;
    private final Process server;
    private final StopAtExit stopping = new StopAtExit("tls-mariadb-stop", this::stopQuietly);

    private TlsMariaDb(Path dir, int port, Path trustStore, Process server) {
        this.dir = dir;
        this.port = port;
        this.trustStore = trustStore;
        this.server = server;
    }

    /**
     * A server with {@code server}'s certificate; accepting TLS connections when this returns. When
     * the start fails at any step (mariadb-install-db missing, failing or overrunning its limit, the
     * trust store, mariadbd missing or exiting), its processes are ended and its folder deleted.
     */
    static TlsMariaDb start(TestCertificates ca, TestCertificates server) throws Exception {
        Path dir = Files.createTempDirectory("gwtls-mariadb-");
        Path data = dir.resolve("data");
        Process install = null;
        Process process = null;
        TlsMariaDb mariadb = null;
        try {
            install = new ProcessBuilder("mariadb-install-db", "--no-defaults", "--datadir=" + data,
                    "--auth-root-authentication-method=normal", "--user=root", "--skip-test-db")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("install.log").toFile()).start();
            if (!install.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("mariadb-install-db did not end within 120 s: "
                        + Files.readString(dir.resolve("install.log")));
            }
            if (install.exitValue() != 0) {
                throw new IllegalStateException("mariadb-install-db failed: " + Files.readString(dir.resolve("install.log")));
            }
            int port = GamewireUnderTest.freePort();
            Path trustStore = ca.trustStore(dir, TRUST_PASSWORD);
            process = new ProcessBuilder("mariadbd", "--no-defaults", "--datadir=" + data, "--port=" + port,
                    "--socket=" + dir.resolve("mariadb.sock"), "--bind-address=127.0.0.1", "--user=root",
                    "--pid-file=" + dir.resolve("mariadb.pid"), "--log-error=" + dir.resolve("error.log"),
                    "--skip-log-bin", "--innodb-buffer-pool-size=32M",
                    "--ssl-ca=" + ca.certificatePem(), "--ssl-cert=" + server.certificatePem(),
                    "--ssl-key=" + server.privateKeyPem(), "--require-secure-transport=ON")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            mariadb = new TlsMariaDb(dir, port, trustStore, process);
            Process running = process;
            TlsMariaDb starting = mariadb;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .until(() -> !running.isAlive() || starting.answers());
            if (!process.isAlive()) {
                throw new IllegalStateException("the test's mariadbd exited: " + mariadb.errorLog());
            }
            return mariadb;
        } catch (Exception | Error e) {
            if (mariadb != null) {
                mariadb.close(); // stops mariadbd, deletes the folder, drops the shutdown hook
            } else {
                endQuietly(install);
                endQuietly(process);
                try {
                    GamewireUnderTest.deleteTree(dir);
                } catch (IOException deleting) {
                    e.addSuppressed(deleting);
                }
            }
            throw e;
        }
    }

    /** Kills {@code process} (null: none started) and waits up to 10 s for it to go. */
    private static void endQuietly(Process process) {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The URL gamewire is given for {@code database}: TLS verified against the test's CA and the
     * host name (the server's certificate names 127.0.0.1), as README's production section shows it.
     */
    String url(String database, Path trust, String trustPassword) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?sslMode=VERIFY_IDENTITY"
                + "&trustCertificateKeyStoreUrl=file:" + trust + "&trustCertificateKeyStoreType=PKCS12"
                + "&trustCertificateKeyStorePassword=" + trustPassword
                + "&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true&connectTimeout=3000&socketTimeout=10000";
    }

    String url(String database) {
        return url(database, trustStore, TRUST_PASSWORD);
    }

    /** A TLS connection as root; the caller closes it. */
    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "root", "");
    }

    void createDatabase(String name) throws SQLException {
        try (Connection connection = connect(""); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
    }

    private boolean answers() throws SQLException {
        try (Connection connection = connect("")) {
            return connection.isValid(2);
        }
    }

    private String errorLog() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("error.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
    }

    private void stopQuietly() {
        StopAtExit.endThenDelete(server, 60, dir); // SIGTERM: mariadbd shuts down cleanly
    }

    @Override
    public void close() {
        stopping.close();
    }
}
