package io.gamewire.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.tls.BrokerTls;
import io.gamewire.tls.HandshakeFailures;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Queue figures from RabbitMQ's management HTTP API ({@code rabbitmq_management} plugin), which
 * also gives the unacknowledged count: one {@code GET /api/queues/<vhost>?columns=…} per poll for
 * the whole virtual host, keeping the queues asked for. RabbitMQ refreshes these figures every
 * few seconds ({@code collect_statistics_interval}, 5 s by default), so they lag that much.
 *
 * <p>Over https the client trusts what the AMQP connection trusts and shows the same client
 * certificate ({@link BrokerTls#forManagementApi}), and checks that the API's certificate names the
 * URL's host; a TLS failure is explained naming the URL and the setting to check.
 */
public final class ManagementApiProbe implements QueueProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String URL_SETTING = "gamewire.ops.rabbitmq-management.url";

    private final ObjectMapper json;
    private final URI queuesUri;
    private final String authorization;
    private final HttpClient http;
    /** The TLS the client uses for an https URL; null for http. */
    private final BrokerTls tls;

    /**
     * @param baseUrl     e.g. {@code http://127.0.0.1:15672} ({@code gamewire.ops.rabbitmq-management.url})
     * @param virtualHost the broker's virtual host ({@code gamewire.broker.virtual-host})
     * @param tls         the trust and client certificate for an https URL ({@link BrokerTls#forManagementApi});
     *                    ignored for http, and null is only taken for http
     */
    public ManagementApiProbe(ObjectMapper json, String baseUrl, String virtualHost, String user, String password,
                              BrokerTls tls) {
        this.json = json;
        boolean https = baseUrl.regionMatches(true, 0, "https:", 0, "https:".length());
        if (https && tls == null) {
            throw new IllegalArgumentException("an https management API URL needs the broker's TLS settings");
        }
        this.tls = https ? tls : null;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (this.tls != null) {
            // the JDK's client sets the HTTPS endpoint identification itself: the host name is checked
            client.sslContext(this.tls.context()).sslParameters(this.tls.parameters());
        }
        this.http = client.build();
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.queuesUri = URI.create(base + "/api/queues/" + URLEncoder.encode(virtualHost, StandardCharsets.UTF_8)
                + "?columns=name,messages_ready,messages_unacknowledged,consumers");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String source() {
        return "management-api";
    }

    @Override
    public Map<String, QueueFigures> read(List<String> queues) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(queuesUri).timeout(TIMEOUT)
                    .header("Authorization", authorization).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + queuesUri, e);
        } catch (IOException e) {
            throw unreachable(e);
        }
        if (response.statusCode() != 200) {
            // never the body: it may echo what was sent
            throw new IOException("the RabbitMQ management API answered " + response.statusCode() + " to GET "
                    + queuesUri + (response.statusCode() == 401 ? " (check gamewire.ops.rabbitmq-management.user and"
                    + " .password)" : ""));
        }
        JsonNode list = json.readTree(response.body());
        if (list == null || !list.isArray()) {
            throw new IOException("the RabbitMQ management API's answer to GET " + queuesUri + " is not a JSON array");
        }
        Set<String> wanted = new HashSet<>(queues);
        Map<String, QueueFigures> figures = new LinkedHashMap<>();
        for (JsonNode queue : list) {
            String name = queue.path("name").asText();
            if (wanted.contains(name)) {
                // a queue whose statistics were not collected yet has no counts: read as 0
                figures.put(name, new QueueFigures(name, queue.path("messages_ready").asLong(0),
                        queue.path("messages_unacknowledged").asLong(0), queue.path("consumers").asLong(0)));
            }
        }
        return figures;
    }

    /** Why the API could not be asked, naming the URL and, for a TLS failure, what to check. */
    private IOException unreachable(IOException failure) {
        String start = "cannot reach the RabbitMQ management API at " + queuesUri + " (" + URL_SETTING + "): ";
        Optional<SSLException> found = tls == null ? Optional.empty() : HandshakeFailures.anySslException(failure);
        if (found.isEmpty()) {
            // TLSv1.3: the server checks the client's certificate after the client's side of the handshake
            // is done, so a refused or missing one shows as a connection closed before any answer
            return new IOException(start + failure + (tls != null && closedBeforeAnswer(failure)
                    ? "; possibly the API refused the client's certificate after the TLS handshake"
                    + clientCertificateAdvice() : ""), failure);
        }
        SSLException handshake = found.get();
        String detail = HandshakeFailures.describe(handshake);
        String why;
        if (HandshakeFailures.plaintextPeer(handshake)) {
            why = "it answered without TLS (" + detail + "). The URL's port must be the API's TLS port (RabbitMQ:"
                    + " management.ssl.port, usually 15671), or the URL http://";
        } else if (HandshakeFailures.peerAlert(handshake).isPresent()) {
            why = "the API refused the TLS connection (" + detail + ")" + clientCertificateAdvice();
        } else if (HandshakeFailures.nameMismatch(handshake)) {
            why = "its certificate does not name the host of " + URL_SETTING + " (" + queuesUri.getHost() + "): "
                    + detail + ". The certificate must name it in a subject alternative name (a DNS name, or an IP"
                    + " address when the host is one)";
        } else if (HandshakeFailures.untrusted(handshake)) {
            why = "gamewire does not trust its certificate (" + detail + "). It must be signed by a CA of "
                    + BrokerTls.PREFIX + "ca or " + BrokerTls.PREFIX + "truststore (now " + tls.trustSource()
                    + "), which the AMQP connection trusts too, and be valid now";
        } else {
            why = "the TLS handshake failed (" + detail + "). gamewire offers " + String.join(" and ",
                    tls.parameters().getProtocols()) + " and trusts the CAs of " + tls.trustSource();
        }
        return new IOException(start + why, failure);
    }

    private String clientCertificateAdvice() {
        return tls.clientCertificate() ? "; it must trust the client certificate of " + BrokerTls.PREFIX
                + "certificate or " + BrokerTls.PREFIX + "keystore"
                : "; an API that asks for a client certificate (management.ssl.fail_if_no_peer_cert) needs "
                + BrokerTls.PREFIX + "certificate or " + BrokerTls.PREFIX + "keystore";
    }

    /** A connection the server ended before its answer: the JDK client's "received no bytes", a reset, an end of stream. */
    private static boolean closedBeforeAnswer(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (cause instanceof java.io.EOFException || message.contains("received no bytes")
                    || message.contains("connection reset") || message.contains("broken pipe")) {
                return true;
            }
        }
        return false;
    }
}