package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.testsupport.TestCertificates;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both ports, with a self-signed certificate made for the run: GWP through
 * {@link GamewireClient}, HTTP through the JDK's own client, from PKCS#12 and from PEM files, with
 * and without required client certificates; a plaintext client gets nothing.
 */
class TlsIT {

    @TempDir
    Path dir;

    private GamewireUnderTest gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    /** A gamewire (not started) with TLS on its GWP port, its identity the PEM files given. */
    private static GamewireUnderTest onTlsWithPem(Path certificate, Path privateKey) throws Exception {
        GamewireUnderTest instance = new GamewireUnderTest();
        instance.overrides.put("gamewire.tcp.tls", "true");
        instance.overrides.put("gamewire.tls.certificate", certificate.toString());
        instance.overrides.put("gamewire.tls.private-key", privateKey.toString());
        return instance;
    }

    private static SslContextBuilder trusting(TestCertificates server) {
        return SslContextBuilder.forClient().trustManager(server.certificatePem().toFile());
    }

    private void sendsOverTls(GamewireClient client) throws Exception {
        client.connect().get(10, TimeUnit.SECONDS);
        Envelope event = GwpSocket.event(gw.services.get(0) + ".end", "{\"over\":\"tls\"}");
        assertThat(client.send(event).get(10, TimeUnit.SECONDS)).isEqualTo(new AckFrame(event.messageId()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> gw.bean("sqlEventStore", SqlEventStore.class).countById(event.messageId()) == 1);
    }

    @Test
    void bothPortsSpeakTlsWithAPkcs12CertificateAndRefusePlaintext() throws Exception {
        TestCertificates server = TestCertificates.make(dir, "gamewire");
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.tcp.tls", "true");
        gw.overrides.put("gamewire.http.tls", "true");
        gw.overrides.put("gamewire.tls.keystore", server.pkcs12().toString());
        gw.overrides.put("gamewire.tls.keystore-password", server.password());
        gw.start();

        try (GamewireClient client = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey)
                .tls(trusting(server).build()).build()) {
            sendsOverTls(client);
        }

        HttpClient https = HttpClient.newBuilder().sslContext(server.trustingIt()).build();
        HttpResponse<String> accepted = https.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + gw.httpPort + "/v1/events/" + gw.services.get(0) + ".end"))
                .header("Authorization", "Bearer " + gw.apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"over\":\"https\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gw.httpPort + "/observe/health"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        // plaintext on either port gets no answer
        try (GwpSocket plain = new GwpSocket(gw.tcpPort)) {
            plain.send(new io.gamewire.protocol.AuthFrame(io.gamewire.protocol.MessageIds.next(), gw.apiKey, "plain/1"));
            assertThat(plain.closedByServer()).isTrue();
        }
        assertThatThrownBy(() -> gw.get("/observe/health")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void anHttpsConnectionThatDoesNotFinishItsHandshakeIsClosedAtTheHeaderTimeout() throws Exception {
        TestCertificates server = TestCertificates.make(dir, "gamewire");
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.http.tls", "true");
        gw.overrides.put("gamewire.tls.keystore", server.pkcs12().toString());
        gw.overrides.put("gamewire.tls.keystore-password", server.password());
        gw.overrides.put("gamewire.http.header-timeout-ms", "1500");
        gw.start();
        // Vert.x's own handshake timeout is 10 s: a close before 7 s is the header timeout's
        Duration earliest = Duration.ofMillis(1300);
        Duration latest = Duration.ofSeconds(7);

        try (RawHttpSocket silent = new RawHttpSocket(gw.httpPort)) {
            long connected = System.nanoTime();
            readUntilClosed(silent);
            assertThat(Duration.ofNanos(System.nanoTime() - connected)).isBetween(earliest, latest);
        }
        try (RawHttpSocket stalled = new RawHttpSocket(gw.httpPort)) {
            long connected = System.nanoTime();
            // a TLS record header announcing a ClientHello that never comes whole
            stalled.socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0x80, 0x01});
            readUntilClosed(stalled);
            assertThat(Duration.ofNanos(System.nanoTime() - connected)).isBetween(earliest, latest);
        }
    }

    /** Reads until the server closes: the end of the stream or a reset, after whatever it sent (a TLS alert). */
    private static void readUntilClosed(RawHttpSocket socket) {
        try {
            socket.socket.getInputStream().readAllBytes();
        } catch (java.io.IOException reset) {
            // closed with a reset: closed all the same
        }
    }

    @Test
    void aPemCertificateWithRequiredClientCertificatesTakesOnlyGameServersThatHaveOne() throws Exception {
        TestCertificates server = TestCertificates.make(dir, "gamewire");
        TestCertificates gameServer = TestCertificates.make(dir, "match-server");
        gw = onTlsWithPem(server.certificatePem(), server.privateKeyPem());
        gw.overrides.put("gamewire.tcp.tls.client-auth", "require");
        gw.overrides.put("gamewire.tcp.tls.client-ca", gameServer.certificatePem().toString());
        gw.start();

        try (GamewireClient client = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey)
                .tls(trusting(server).keyManager(gameServer.certificatePem().toFile(),
                        gameServer.privateKeyPem().toFile()).build()).build()) {
            sendsOverTls(client);
        }
        try (GamewireClient anonymous = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey)
                .connectTimeout(Duration.ofSeconds(2)).tls(trusting(server).build()).build()) {
            assertThatThrownBy(() -> anonymous.connect().get(5, TimeUnit.SECONDS)).as("no client certificate")
                    .isInstanceOf(java.util.concurrent.ExecutionException.class);
        }
        // the HTTP port stays plaintext: its switch is its own
        assertThat(gw.get("/observe/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyThatDoesNotGoWithTheCertificateStopsTheStartNamingBothFiles() throws Exception {
        TestCertificates server = TestCertificates.make(dir, "gamewire");
        TestCertificates other = TestCertificates.make(dir, "other");
        gw = onTlsWithPem(server.certificatePem(), other.privateKeyPem());

        assertThatThrownBy(gw::start).hasStackTraceContaining("gamewire.tls.private-key " + other.privateKeyPem())
                .hasStackTraceContaining("the key does not go with the (first) certificate");
    }
}
