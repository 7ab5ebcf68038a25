package io.gamewire.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import io.gamewire.testsupport.TestCertificates;
import io.gamewire.testsupport.TestSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings of TLS to the broker and the client context they make, tried against a TLS server
 * socket of the test's own: the CA trusted from PEM or a trust store, a server signed by another
 * CA refused, the host name checked, a client certificate shown; bad files named with their
 * setting; the same settings of another service ({@link ClientTls}, Redis's). (Against a real
 * RabbitMQ and Redis: ServiceTlsIT.)
 */
class BrokerTlsTest {

    /** One CA and broker certificate for the class: keytool takes a second or more a run. */
    @TempDir
    static Path dir;

    private static TestCertificates ca;
    private static TestCertificates broker;
    private TlsServer server;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.authority(dir, "test-ca");
        broker = ca.sign(dir, "broker");
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** TLS on, host names checked, and {@code values}. */
    private static Settings settings(Map<String, String> values) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("gamewire.broker.tls", "true",
                "gamewire.broker.tls.verify-hostname", "true"));
        all.putAll(values);
        return TestSettings.of(all);
    }

    /** A TLS connection to the test's server through {@code tls} applied to a RabbitMQ connection factory. */
    private static SSLSocket connect(BrokerTls tls, int port) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        tls.applyTo(factory);
        SSLSocket socket = (SSLSocket) factory.getSocketFactory().createSocket();
        factory.getSocketConfigurator().configure(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    @Test
    void offMeansNoTls() {
        assertThat(BrokerTls.from(settings(Map.of("gamewire.broker.tls", "false")))).isNull();
    }

    @Test
    void aPemCaTrustsTheBrokerItSignedOverTls13Or12OnlyWithTheHostNameChecked() throws Exception {
        server = new TlsServer(broker, null);
        BrokerTls tls = BrokerTls.from(settings(Map.of("gamewire.broker.tls.ca", ca.certificatePem().toString())));

        try (SSLSocket socket = connect(tls, server.port())) {
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        }
        ConnectionFactory factory = new ConnectionFactory();
        tls.applyTo(factory);
        assertThat(factory.isSSL()).isTrue();
    }

    @Test
    void aBrokerSignedByAnotherCaIsRefusedAndTheErrorNamesTheTrustSetting() throws Exception {
        TestCertificates otherCa = TestCertificates.authority(dir, "other-ca");
        server = new TlsServer(otherCa.sign(dir, "impostor"), null);
        BrokerTls tls = BrokerTls.from(settings(Map.of("gamewire.broker.tls.ca", ca.certificatePem().toString())));

        SSLException refused = (SSLException) org.assertj.core.api.Assertions.catchThrowable(
                () -> connect(tls, server.port()).close());

        assertThat(refused).isNotNull();
        assertThat(tls.explain(new IOException("wrapped", refused), "127.0.0.1:" + server.port())).get()
                .asString()
                .startsWith("cannot connect to the AMQP broker at 127.0.0.1:" + server.port()
                        + " over TLS (gamewire.broker.tls=true): gamewire does not trust the broker's certificate (")
                .contains("PKIX path")
                .contains("It must be signed by a CA of gamewire.broker.tls.ca or gamewire.broker.tls.truststore (now"
                        + " gamewire.broker.tls.ca " + ca.certificatePem() + ")")
                .doesNotContain("host").doesNotContain("client certificate");
        assertThat(tls.explain(new IOException(new java.net.ConnectException("Connection refused")), "h:1"))
                .as("no broker there: no TLS matter").isEmpty();
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefusedUnlessTheCheckIsOff() throws Exception {
        server = new TlsServer(ca, null); // trusted (it is the CA), but names no host
        Map<String, String> trustingIt = Map.of("gamewire.broker.tls.ca", ca.certificatePem().toString());
        BrokerTls tls = BrokerTls.from(settings(trustingIt));

        SSLException refused = (SSLException) org.assertj.core.api.Assertions.catchThrowable(
                () -> connect(tls, server.port()).close());
        assertThat(refused).isNotNull().hasMessageContaining("No subject alternative names");
        assertThat(tls.explain(refused, "127.0.0.1:" + server.port())).get().asString()
                .contains("over TLS (gamewire.broker.tls=true): the broker's certificate does not name the host"
                        + " gamewire connects to")
                .contains("The certificate must name gamewire.broker.host")
                .doesNotContain("verify-hostname").doesNotContain("client certificate");
        Map<String, String> unchecked = new java.util.HashMap<>(trustingIt);
        unchecked.put("gamewire.broker.tls.verify-hostname", "false");
        connect(BrokerTls.from(settings(unchecked)), server.port()).close();
    }

    /** The RabbitMQ client's own connection, not the test's copy of its socket code. */
    private static Throwable newConnection(BrokerTls tls, int port) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setConnectionTimeout(5000);
        factory.setHandshakeTimeout(5000);
        tls.applyTo(factory);
        return org.assertj.core.api.Assertions.catchThrowable(() -> factory.newConnection().close());
    }

    @Test
    void throughTheClientsOwnConnectionAHostNameMismatchIsExplainedAsOne() throws Exception {
        server = new TlsServer(ca, null); // trusted (it is the CA), but names no host
        BrokerTls tls = BrokerTls.from(settings(Map.of("gamewire.broker.tls.ca", ca.certificatePem().toString())));

        Throwable failure = newConnection(tls, server.port());

        assertThat(failure).isNotNull();
        assertThat(tls.explain(failure, "127.0.0.1:" + server.port())).get().asString()
                .contains("the broker's certificate does not name the host gamewire connects to")
                .contains("No subject alternative names")
                .doesNotContain("verify-hostname");
    }

    @Test
    void throughTheClientsOwnConnectionABrokerThatRefusesTheMissingClientCertificateIsExplainedSo() throws Exception {
        server = new TlsServer(broker, ca); // requires a client certificate
        BrokerTls tls = BrokerTls.from(settings(Map.of("gamewire.broker.tls.ca", ca.certificatePem().toString())));

        Throwable failure = newConnection(tls, server.port());

        assertThat(failure).isNotNull();
        assertThat(tls.explain(failure, "127.0.0.1:" + server.port())).as("%s", failure).get().asString()
                .containsAnyOf("the broker refused the TLS connection (Received fatal alert: ",
                        "the broker closed the connection right after the TLS handshake",
                        "possibly the broker refused the client's certificate")
                .endsWith("a broker that asks for a client certificate (fail_if_no_peer_cert) needs"
                        + " gamewire.broker.tls.certificate or gamewire.broker.tls.keystore")
                .doesNotContain("verify-hostname").doesNotContain("does not trust");
    }

    @Test
    void aPkcs12TrustStoreIsReadWithItsPasswordAndAWrongOneNamesTheSetting() throws Exception {
        server = new TlsServer(broker, null);
        Path store = ca.trustStore(dir, "trust-pw");

        connect(BrokerTls.from(settings(Map.of("gamewire.broker.tls.truststore", store.toString(),
                "gamewire.broker.tls.truststore-password", "trust-pw"))), server.port()).close();
        assertThatThrownBy(() -> BrokerTls.from(settings(Map.of("gamewire.broker.tls.truststore", store.toString(),
                "gamewire.broker.tls.truststore-password", "wrong-pw"))))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("gamewire.broker.tls.truststore: cannot read " + store + " as PKCS#12 or JKS"
                        + " with gamewire.broker.tls.truststore-password")
                .hasMessageContaining("password was incorrect");
    }

    @Test
    void aJksTrustStoreIsReadToo() throws Exception {
        server = new TlsServer(broker, null);
        Path jks = dir.resolve("trust.jks");
        io.gamewire.testsupport.Keytool.run("-importcert", "-noprompt", "-alias", "ca", "-file",
                ca.certificatePem().toString(), "-storetype", "JKS", "-keystore", jks.toString(), "-storepass", "jks-pw");

        connect(BrokerTls.from(settings(Map.of("gamewire.broker.tls.truststore", jks.toString(),
                "gamewire.broker.tls.truststore-password", "jks-pw"))), server.port()).close();
    }

    @Test
    void missingOrWrongFilesStopTheStartNamingTheSettingAndTheFile() throws Exception {
        Path missing = dir.resolve("nowhere.pem");
        Path notPem = Files.writeString(dir.resolve("ca.txt"), "hello");
        Path key = broker.privateKeyPem();

        assertThatThrownBy(() -> BrokerTls.from(settings(Map.of("gamewire.broker.tls.ca", missing.toString()))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("gamewire.broker.tls.ca: cannot read " + missing);
        assertThatThrownBy(() -> BrokerTls.from(settings(Map.of("gamewire.broker.tls.truststore", missing.toString()))))
                .hasMessageStartingWith("gamewire.broker.tls.truststore: cannot read " + missing);
        assertThatThrownBy(() -> BrokerTls.from(settings(Map.of("gamewire.broker.tls.ca", notPem.toString()))))
                .hasMessageStartingWith("gamewire.broker.tls.ca: " + notPem + " is not a PEM X.509 certificate file");
        assertThatThrownBy(() -> BrokerTls.from(settings(Map.of("gamewire.broker.tls.ca", ca.certificatePem().toString(),
                "gamewire.broker.tls.truststore", ca.pkcs12().toString()))))
                .hasMessageStartingWith("gamewire.broker.tls.ca and gamewire.broker.tls.truststore are both set");
        assertThatThrownBy(() -> BrokerTls.from(settings(Map.of("gamewire.broker.tls.certificate",
                broker.certificatePem().toString()))))
                .hasMessage("gamewire.broker.tls.certificate needs gamewire.broker.tls.private-key, the PEM file of its key");
        assertThatThrownBy(() -> BrokerTls.from(settings(Map.of("gamewire.broker.tls.keystore", key.toString(),
                "gamewire.broker.tls.keystore-password", "x"))))
                .hasMessageStartingWith("gamewire.broker.tls.keystore: cannot read " + key + " as PKCS#12 with"
                        + " gamewire.broker.tls.keystore-password");
    }

    @Test
    void aClientCertificateFromPemOrPkcs12IsShownToABrokerThatRequiresOne() throws Exception {
        TestCertificates gamewire = ca.sign(dir, "gamewire-client");
        server = new TlsServer(broker, ca);
        Map<String, String> trust = Map.of("gamewire.broker.tls.ca", ca.certificatePem().toString());

        assertThatThrownBy(() -> {
            try (SSLSocket socket = connect(BrokerTls.from(settings(trust)), server.port())) {
                socket.getInputStream().read(); // TLS 1.3: the server's refusal comes after the client's handshake
            }
        }).as("no client certificate").isInstanceOf(IOException.class);
        Map<String, String> pem = new java.util.HashMap<>(trust);
        pem.put("gamewire.broker.tls.certificate", gamewire.certificatePem().toString());
        pem.put("gamewire.broker.tls.private-key", gamewire.privateKeyPem().toString());
        try (SSLSocket socket = connect(BrokerTls.from(settings(pem)), server.port())) {
            assertThat(socket.getInputStream().read()).isEqualTo(1); // after the server noted the name
            assertThat(server.clientName()).isEqualTo("CN=gamewire-client");
        }
        Map<String, String> pkcs12 = new java.util.HashMap<>(trust);
        pkcs12.put("gamewire.broker.tls.keystore", gamewire.pkcs12().toString());
        pkcs12.put("gamewire.broker.tls.keystore-password", gamewire.password());
        try (SSLSocket socket = connect(BrokerTls.from(settings(pkcs12)), server.port())) {
            assertThat(socket.getInputStream().read()).isEqualTo(1); // after the server noted the name
            assertThat(server.clientName()).isEqualTo("CN=gamewire-client");
        }
    }

    /** TLS without a client certificate, whose factory's one socket completed its handshake. */
    private static BrokerTls afterACompletedHandshake() {
        BrokerTls tls = new BrokerTls(null, true, "the JDK's default trust store", false);
        tls.handshakes().begun();
        tls.handshakes().completed();
        return tls;
    }

    @Test
    void aResetRightAfterACompletedHandshakeIsExplainedAsARefusedClientCertificate() {
        BrokerTls tls = afterACompletedHandshake();

        assertThat(tls.explain(new IOException(new java.net.SocketException("Connection reset by peer")), "rabbit:5671"))
                .get().asString()
                .startsWith("cannot connect to the AMQP broker at rabbit:5671 over TLS (gamewire.broker.tls=true): the"
                        + " broker closed the connection right after the TLS handshake")
                .endsWith("a broker that asks for a client certificate (fail_if_no_peer_cert) needs"
                        + " gamewire.broker.tls.certificate or gamewire.broker.tls.keystore");
    }

    @Test
    void aResetWithoutAKnownCompletedHandshakeIsOnlyPossiblyARefusedClientCertificate() {
        BrokerTls tls = new BrokerTls(null, true, "the JDK's default trust store", true);
        tls.handshakes().begun();

        assertThat(tls.explain(new IOException(new java.io.EOFException()), "rabbit:5671")).get().asString()
                .contains("over TLS (gamewire.broker.tls=true): the connection was closed (java.io.EOFException);"
                        + " possibly the broker refused the client's certificate after the TLS handshake")
                .endsWith("the broker must trust the client certificate of gamewire.broker.tls.certificate or"
                        + " gamewire.broker.tls.keystore (RabbitMQ: ssl_options.cacertfile)");
    }

    @Test
    void unreachableNetworksLocalAddressesAndRefusedLoginsAreNoTlsMatter() {
        BrokerTls tls = afterACompletedHandshake();

        assertThat(tls.explain(new IOException(new java.net.SocketException("Network is unreachable")), "r:5671"))
                .isEmpty();
        assertThat(tls.explain(new IOException(new java.net.BindException("Address already in use")), "r:5671"))
                .isEmpty();
        assertThat(tls.explain(new IOException(new java.net.NoRouteToHostException("No route to host")), "r:5671"))
                .isEmpty();
        assertThat(tls.explain(new com.rabbitmq.client.PossibleAuthenticationFailureException(
                new java.io.EOFException()), "r:5671")).as("the broker ended the login").isEmpty();
    }

    @Test
    void aPeerAlertIsTheBrokerRefusingNotGamewiresCheck() {
        BrokerTls tls = new BrokerTls(null, true, "the JDK's default trust store", false);

        assertThat(tls.explain(new IOException(new SSLException("Received fatal alert: certificate_required")),
                "rabbit:5671")).get().asString()
                .contains("over TLS (gamewire.broker.tls=true): the broker refused the TLS connection (Received fatal"
                        + " alert: certificate_required), as it does when it refuses the client's certificate or gets"
                        + " none; a broker that asks for a client certificate (fail_if_no_peer_cert) needs")
                .doesNotContain("verify-hostname").doesNotContain("trust store");
        assertThat(tls.explain(new SSLException("Received fatal alert: protocol_version"), "rabbit:5671")).get()
                .asString().contains("the broker refused the TLS connection (Received fatal alert: protocol_version):"
                        + " it shares no protocol version or cipher suite with gamewire, which offers TLSv1.3 and TLSv1.2");
    }

    @Test
    void anotherHandshakeFailureSaysWhatGamewireOffersAndTrustsNotThatACertificateIsAtFault() {
        BrokerTls tls = new BrokerTls(null, true, "the JDK's default trust store", false);

        assertThat(tls.explain(new IOException(new javax.net.ssl.SSLHandshakeException("No appropriate protocol"
                + " (protocol is disabled or cipher suites are inappropriate)")), "rabbit:5671")).get().asString()
                .isEqualTo("cannot connect to the AMQP broker at rabbit:5671 over TLS (gamewire.broker.tls=true): the"
                        + " TLS handshake failed (No appropriate protocol (protocol is disabled or cipher suites are"
                        + " inappropriate)). gamewire offers TLSv1.3 and TLSv1.2 and trusts the CAs of the JDK's"
                        + " default trust store");
    }

    @Test
    void aPlaintextPortIsToldApartFromACertificateProblem() {
        BrokerTls tls = new BrokerTls(null, true, "the JDK's default trust store", false);

        assertThat(tls.explain(new IOException(new SSLException("Unsupported or unrecognized SSL message")),
                "rabbit:5672")).get().asString()
                .contains("at rabbit:5672 over TLS (gamewire.broker.tls=true): it answered without TLS")
                .contains("gamewire.broker.port must be the broker's TLS port");
    }

    /** A TLS connection to the test's server through {@code tls}'s sockets and parameters, as Jedis makes one. */
    private static SSLSocket connect(ClientTls tls, int port) throws IOException {
        SSLSocket socket = (SSLSocket) tls.socketFactory().createSocket("127.0.0.1", port);
        socket.setSSLParameters(tls.parameters());
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    @Test
    void anotherServicesTlsIsReadFromItsOwnSettingsTheSameWay() throws Exception {
        String property = "gamewire.kv.redis.tls";
        assertThat(ClientTls.from(TestSettings.of(Map.of(property, "false")), property, "Redis")).isNull();
        Map<String, String> trustingCa = new java.util.HashMap<>(Map.of(property, "true", property + ".verify-hostname",
                "true", property + ".ca", ca.certificatePem().toString()));
        ClientTls tls = ClientTls.from(TestSettings.of(trustingCa), property, "Redis");

        server = new TlsServer(broker, null);
        try (SSLSocket socket = connect(tls, server.port())) {
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
        server.close();
        server = new TlsServer(ca, null); // trusted (it is the CA), but names no host
        assertThatThrownBy(() -> connect(tls, server.port()).close()).isInstanceOf(SSLException.class)
                .hasMessageContaining("No subject alternative names");
        trustingCa.put(property + ".verify-hostname", "false");
        connect(ClientTls.from(TestSettings.of(trustingCa), property, "Redis"), server.port()).close();

        trustingCa.put(property + ".truststore", broker.pkcs12().toString());
        assertThatThrownBy(() -> ClientTls.from(TestSettings.of(trustingCa), property, "Redis"))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("gamewire.kv.redis.tls.ca and gamewire.kv.redis.tls.truststore are both set");
    }

    /** A TLS server on 127.0.0.1 that handshakes every connection; with {@code clientCa}, it requires client certificates it signed. */
    private static final class TlsServer implements AutoCloseable {

        private final SSLServerSocket socket;
        private volatile String clientName;

        TlsServer(TestCertificates identity, TestCertificates clientCa) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(identity.pkcs12())) {
                keys.load(in, identity.password().toCharArray());
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, identity.password().toCharArray());
            TrustManagerFactory trust = null;
            if (clientCa != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(TrustedCertificates.pem("test", clientCa.certificatePem()).store());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                    java.net.InetAddress.getLoopbackAddress());
            socket.setNeedClientAuth(clientCa != null);
            Thread accepting = new Thread(this::accept, "test-tls-server");
            accepting.setDaemon(true);
            accepting.start();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (SSLSocket connection = (SSLSocket) socket.accept()) {
                    connection.setSoTimeout(5000);
                    connection.startHandshake();
                    if (connection.getNeedClientAuth()) {
                        clientName = connection.getSession().getPeerPrincipal().getName();
                    }
                    connection.getOutputStream().write(1); // the client's read sees the handshake through
                    connection.getOutputStream().flush();
                } catch (IOException e) {
                    // a refused handshake: the client sees it
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        String clientName() {
            return clientName;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
