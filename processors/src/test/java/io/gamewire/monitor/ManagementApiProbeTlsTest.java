package io.gamewire.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.gamewire.testsupport.TestCertificates;
import io.gamewire.testsupport.TestSettings;
import io.gamewire.tls.BrokerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management API over https with a private CA: the probe trusts what the AMQP connection
 * trusts ({@code gamewire.broker.tls.ca} or {@code .truststore}), shows its client certificate,
 * and checks the host name. Against an HTTPS server of the JDK whose certificate a CA of the test
 * signed.
 */
class ManagementApiProbeTlsTest {

    private static final String QUEUES = "[{\"name\":\"halo.prod.stats\",\"messages_ready\":4,"
            + "\"messages_unacknowledged\":1,\"consumers\":1}]";

    /** One CA and server certificate for the class: keytool takes a second or more a run. */
    @TempDir
    static Path dir;

    private static TestCertificates ca;
    private static TestCertificates management;
    private static TestCertificates client;
    private HttpsServer server;
    private final AtomicReference<String> clientName = new AtomicReference<>();

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.authority(dir, "test-ca");
        management = ca.sign(dir, "rabbitmq-management");
        client = ca.sign(dir, "gamewire-client");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** An HTTPS management API on {@code address}; requires a client certificate of the CA when {@code needClient}. */
    private String serve(String address, boolean needClient) throws Exception {
        SSLContext tls = needClient ? management.serving(ca) : management.serving();
        server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(needClient);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/api/queues/", exchange -> {
            if (needClient) {
                clientName.set(((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName());
            }
            byte[] answer = QUEUES.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return "https://" + address + ":" + server.getAddress().getPort();
    }

    private static ManagementApiProbe probe(String url, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of("gamewire.broker.tls", "false"));
        all.putAll(values);
        return new ManagementApiProbe(new ObjectMapper(), url, "/", "ops", "s3cret",
                BrokerTls.forManagementApi(TestSettings.of(all)));
    }

    @Test
    void withTheBrokersCaTheProbeReadsTheQueuesOverHttps() throws Exception {
        String url = serve("127.0.0.1", false);

        Map<String, QueueFigures> figures = probe(url, Map.of("gamewire.broker.tls.ca",
                ca.certificatePem().toString())).read(List.of("halo.prod.stats"));

        assertThat(figures.get("halo.prod.stats")).isEqualTo(new QueueFigures("halo.prod.stats", 4, 1L, 1));
    }

    @Test
    void withoutTheCaTheFailureNamesTheUrlAndTheSettingsToCheck() throws Exception {
        String url = serve("127.0.0.1", false);

        assertThatThrownBy(() -> probe(url, Map.of()).read(List.of("halo.prod.stats")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach the RabbitMQ management API at " + url + "/api/queues/%2F")
                .hasMessageContaining("(gamewire.ops.rabbitmq-management.url): gamewire does not trust its certificate")
                .hasMessageContaining("PKIX path")
                .hasMessageContaining("must be signed by a CA of gamewire.broker.tls.ca or gamewire.broker.tls.truststore"
                        + " (now the JDK's default trust store");
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
        // the certificate names 127.0.0.1 and localhost; 127.0.0.2 is the same machine by another name
        String url = serve("127.0.0.2", false);

        assertThatThrownBy(() -> probe(url, Map.of("gamewire.broker.tls.ca", ca.certificatePem().toString()))
                .read(List.of("halo.prod.stats")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach the RabbitMQ management API at " + url)
                .hasMessageContaining("its certificate does not name the host of gamewire.ops.rabbitmq-management.url"
                        + " (127.0.0.2)");
    }

    @Test
    void theBrokersClientCertificateIsShownToAnApiThatRequiresOne() throws Exception {
        String url = serve("127.0.0.1", true);
        String ca = ManagementApiProbeTlsTest.ca.certificatePem().toString();

        assertThatThrownBy(() -> probe(url, Map.of("gamewire.broker.tls.ca", ca)).read(List.of("halo.prod.stats")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach the RabbitMQ management API at " + url)
                .hasMessageContaining("gamewire.broker.tls.certificate or gamewire.broker.tls.keystore");
        Map<String, QueueFigures> figures = probe(url, Map.of("gamewire.broker.tls.ca", ca,
                "gamewire.broker.tls.certificate", client.certificatePem().toString(),
                "gamewire.broker.tls.private-key", client.privateKeyPem().toString())).read(List.of("halo.prod.stats"));

        assertThat(figures).containsKey("halo.prod.stats");
        assertThat(clientName.get()).isEqualTo("CN=gamewire-client");
    }
}
