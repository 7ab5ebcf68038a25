package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.testsupport.RealServices;
import io.gamewire.testsupport.TestCertificates;
import java.nio.file.Files;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * gamewire on the prod profile over TLS to RabbitMQ, MariaDB and Redis, servers of the test's own
 * that take nothing but TLS (a RabbitMQ node without a plaintext listener that requires a client
 * certificate, a MariaDB with require_secure_transport, a Redis with only a TLS port that requires a
 * client certificate), certificates from a CA made for the run: events over HTTP and GWP are
 * stored, every broker connection is TLS with gamewire's client certificate, gamewire's database
 * sessions are TLS, its KV records reach Redis over TLS. A broker or database certificate from
 * another CA, a missing client certificate or a plaintext broker port stops the start with an
 * error that says TLS failed and names the settings to check; a Redis certificate from another CA
 * leaves the kv health check DOWN, naming Redis (TLS), and no record written.
 */
@Tag("services")
class ServiceTlsIT {

    private static Path dir;
    private static TestCertificates ca;
    private static TestCertificates otherCa;
    private static TestCertificates gamewireClient;
    private static TlsRabbitNode rabbit;
    private static TlsMariaDb mariadb;
    private static TlsRedis redis;

    private GamewireUnderTest gw;

    /** Both servers for the class: each takes seconds to start. */
    @BeforeAll
    static void startServers() throws Exception {
        dir = Files.createTempDirectory("gwtls-certificates-");
        ca = TestCertificates.authority(dir, "gwtls-ca");
        otherCa = TestCertificates.authority(dir, "gwtls-other-ca");
        gamewireClient = ca.sign(dir, "gamewire-client");
        rabbit = TlsRabbitNode.start(ca, ca.sign(dir, "rabbitmq"));
        mariadb = TlsMariaDb.start(ca, ca.sign(dir, "mariadb"));
        redis = TlsRedis.start(ca, ca.sign(dir, "redis"), gamewireClient);
        // the trust store's password is in gamewire.db.url: no log may show it
        SecretsInLogsCheck.register(List.of(TlsMariaDb.TRUST_PASSWORD));
    }

    @AfterAll
    static void stopServers() throws Exception {
        try (AutoCloseable broker = rabbit; AutoCloseable database = mariadb; AutoCloseable kv = redis) {
            if (dir != null) {
                GamewireUnderTest.deleteTree(dir);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    /** A gamewire (not started) on the prod profile, on the TLS servers, trusting the run's CA. */
    private static GamewireUnderTest onTlsServers() throws Exception {
        GamewireUnderTest instance = new GamewireUnderTest();
        instance.overrides.put("gamewire.broker.host", "127.0.0.1");
        instance.overrides.put("gamewire.broker.port", Integer.toString(rabbit.tlsPort));
        instance.overrides.put("gamewire.broker.tls", "true");
        instance.overrides.put("gamewire.broker.tls.ca", ca.certificatePem().toString());
        instance.overrides.put("gamewire.broker.tls.certificate", gamewireClient.certificatePem().toString());
        instance.overrides.put("gamewire.broker.tls.private-key", gamewireClient.privateKeyPem().toString());
        // the test's node has RabbitMQ's default user alone (over loopback), not the machine node's
        // GAMEWIRE_TEST_RABBITMQ_USER the services stack put here
        instance.overrides.put("gamewire.broker.username", "guest");
        instance.overrides.put("gamewire.broker.password", "guest");
        // the queues of a single node (quorum queues would work too, at more cost to the run)
        instance.overrides.put("gamewire.bus.queue-arguments", "");
        mariadb.createDatabase(instance.database());
        instance.overrides.put("gamewire.db.url", mariadb.url(instance.database()));
        instance.overrides.put("gamewire.db.user", "root");
        instance.overrides.put("gamewire.db.password", "");
        // the KV store and the shared rate limits (the prod profile's) on the TLS Redis, with a client certificate
        instance.overrides.put("gamewire.kv.type", "redis");
        instance.overrides.put("gamewire.kv.redis.host", "127.0.0.1");
        instance.overrides.put("gamewire.kv.redis.port", Integer.toString(redis.tlsPort));
        instance.overrides.put("gamewire.kv.redis.tls", "true");
        instance.overrides.put("gamewire.kv.redis.tls.ca", ca.certificatePem().toString());
        instance.overrides.put("gamewire.kv.redis.tls.certificate", gamewireClient.certificatePem().toString());
        instance.overrides.put("gamewire.kv.redis.tls.private-key", gamewireClient.privateKeyPem().toString());
        return instance;
    }

    @Test
    void eventsOverHttpAndGwpAreStoredWithEveryBrokerAndDatabaseConnectionOnTls() throws Exception {
        gw = onTlsServers();
        gw.start();
        String scored = gw.services.get(0) + ".scored";

        assertThat(gw.post("/v1/events/" + scored, "application/json", "{\"player\":\"http\",\"points\":1}")
                .statusCode()).isEqualTo(202);
        try (GamewireClient client = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey)
                .build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            Envelope event = GwpSocket.event(scored, "{\"player\":\"gwp\",\"points\":2}");
            assertThat(client.send(event).get(10, TimeUnit.SECONDS)).isEqualTo(new AckFrame(event.messageId()));
        }

        String rows = "SELECT COUNT(*) FROM " + gw.title + "_scores WHERE player IN ('http', 'gwp')";
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.count(rows) == 2);
        try (Connection direct = mariadb.connect(gw.database()); Statement statement = direct.createStatement();
             ResultSet row = statement.executeQuery(rows)) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong(1)).as("the rows, read over a TLS connection of the test's own").isEqualTo(2);
        }

        // gamewire's own pool: TLS sessions; a plaintext one is refused by the server
        try (Connection pooled = gw.bean("dataSource", DataSource.class).getConnection();
             Statement statement = pooled.createStatement();
             ResultSet status = statement.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            assertThat(status.next()).isTrue();
            assertThat(status.getString(2)).as("the cipher of gamewire's pooled session").isNotBlank();
        }
        // the same user and password: taken over TLS, refused in plaintext. MySQL 8 says "Connections using
        // insecure transport are prohibited while --require_secure_transport=ON" (3159); MariaDB 10.11
        // answers an insecure login as a wrong one, "Access denied" (1045), though the credentials are
        // right (the TLS connection just made with them)
        try (Connection overTls = DriverManager.getConnection(mariadb.url(gw.database()), "root", "")) {
            assertThat(overTls.isValid(2)).as("root without a password, over TLS").isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + mariadb.port + "/"
                + gw.database() + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", "root", "").close())
                .as("plaintext").isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(
                        "Connections using insecure transport are prohibited while --require_secure_transport=ON",
                        "Access denied for user 'root'@'localhost' (using password: NO)"))
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isIn(1045, 3159));

        // every connection shows gamewire's client certificate, which only a TLS connection can carry
        // (ssl=true holds anyway on a node without a plaintext listener)
        List<String[]> connections = rabbit.connections();
        assertThat(connections).as("the publisher lanes, the request/reply client, the consumers' connection")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(connections).allSatisfy(connection -> {
            assertThat(connection[1]).as("peer_cert_subject").isEqualTo("CN=gamewire-client");
            assertThat(connection[0]).as("ssl").isEqualTo("true");
        });
        assertThat(gw.healthy()).isTrue();

        // the KV records are in the test's TLS Redis, which takes no plaintext and no client without a
        // certificate: gamewire wrote them over TLS with its client certificate
        String record = gw.overrides.get("gamewire.kv.key-prefix") + "player:gwp";
        await().atMost(Duration.ofSeconds(30))
                .until(() -> redis.cli(gamewireClient, "HGET", record, "lastPoints").equals("2"));
    }

    @Test
    void aBrokerCertificateFromAnotherCaStopsTheStartSayingTlsFailedAndWhatToCheck() throws Exception {
        gw = onTlsServers();
        gw.overrides.put("gamewire.broker.tls.ca", otherCa.certificatePem().toString());

        assertThatThrownBy(gw::start)
                .hasStackTraceContaining("cannot connect to the AMQP broker at 127.0.0.1:" + rabbit.tlsPort
                        + " over TLS (gamewire.broker.tls=true): gamewire does not trust the broker's certificate")
                .hasStackTraceContaining("It must be signed by a CA of gamewire.broker.tls.ca or"
                        + " gamewire.broker.tls.truststore (now gamewire.broker.tls.ca " + otherCa.certificatePem() + ")");
    }

    @Test
    void withoutAClientCertificateTheBrokerRefusesAndTheErrorSaysWhichSettingGivesOne() throws Exception {
        gw = onTlsServers();
        gw.overrides.remove("gamewire.broker.tls.certificate");
        gw.overrides.remove("gamewire.broker.tls.private-key");

        assertThatThrownBy(gw::start)
                .hasStackTraceContaining("cannot connect to the AMQP broker at 127.0.0.1:" + rabbit.tlsPort
                        + " over TLS (gamewire.broker.tls=true)")
                .hasStackTraceContaining("a broker that asks for a client certificate (fail_if_no_peer_cert) needs"
                        + " gamewire.broker.tls.certificate or gamewire.broker.tls.keystore");
    }

    @Test
    void aPlaintextBrokerPortStopsTheStartSayingItAnsweredWithoutTls() throws Exception {
        gw = onTlsServers();
        // the machine's RabbitMQ speaks plain AMQP on its port: one refused handshake, nothing declared there
        gw.overrides.put("gamewire.broker.host", RealServices.RABBIT_HOST);
        gw.overrides.put("gamewire.broker.port", Integer.toString(RealServices.RABBIT_PORT));

        assertThatThrownBy(gw::start)
                .hasStackTraceContaining("cannot connect to the AMQP broker at " + RealServices.RABBIT_HOST + ":"
                        + RealServices.RABBIT_PORT
                        + " over TLS (gamewire.broker.tls=true): it answered without TLS")
                .hasStackTraceContaining("gamewire.broker.port must be the broker's TLS port");
    }

    @Test
    void aRedisCertificateFromAnotherCaLeavesTheKvCheckDownNamingTlsAndWritesNoRecord() throws Exception {
        gw = onTlsServers();
        gw.overrides.put("gamewire.kv.redis.tls.ca", otherCa.certificatePem().toString());
        gw.start();

        HttpResponse<String> health = gw.get("/observe/health?exposureLevel=full");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("Redis at 127.0.0.1:" + redis.tlsPort + " (TLS) failed PING");
        assertThat(gw.post("/v1/events/" + gw.services.get(0) + ".scored", "application/json",
                "{\"player\":\"waits\",\"points\":3}").statusCode()).as("accepted: the bus holds it").isEqualTo(202);
        String rows = "SELECT COUNT(*) FROM " + gw.title + "_scores WHERE player = 'waits'";
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.count(rows) == 1);
        String record = gw.overrides.get("gamewire.kv.key-prefix") + "player:waits";
        assertThat(redis.cli(gamewireClient, "EXISTS", record)).as("no KV record over a refused TLS").isEqualTo("0");
    }

    @Test
    void aDatabaseCertificateFromAnotherCaStopsTheStartNamingTheUrlWithoutItsPassword() throws Exception {
        gw = onTlsServers();
        String otherPassword = "other-pw-" + gw.id;
        // in gamewire.db.url, a setting not named like a password: registered here, not by gw.start()
        SecretsInLogsCheck.register(List.of(otherPassword));
        Path otherTrust = otherCa.trustStore(dir, otherPassword);
        gw.overrides.put("gamewire.db.url", mariadb.url(gw.database(), otherTrust, otherPassword));

        assertThatThrownBy(gw::start)
                .hasStackTraceContaining("cannot connect to the database at jdbc:mysql://127.0.0.1:" + mariadb.port)
                .hasStackTraceContaining("trustCertificateKeyStorePassword=***")
                .hasStackTraceContaining("TLS to the database failed, a certificate or handshake problem")
                .satisfies(e -> {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(trace));
                    assertThat(trace.toString()).doesNotContain(otherPassword);
                });
    }
}
