package io.gamewire.tls;

import static io.gamewire.tls.HandshakeFailures.describe;

import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS from gamewire to an external AMQP broker ({@code gamewire.broker.tls*}): the CAs that sign the
 * broker's certificate ({@link TrustedCertificates}, {@code gamewire.broker.tls.ca} or
 * {@code .truststore}), whether the certificate must name {@code gamewire.broker.host}
 * ({@code gamewire.broker.tls.verify-hostname}), and a client certificate for a broker that asks
 * for one ({@link TlsIdentity}, {@code gamewire.broker.tls.certificate}/{@code .private-key} or
 * {@code .keystore}). Applied to the one RabbitMQ connection factory that every AMQP connection of
 * gamewire comes from; TLSv1.3 and TLSv1.2 only.
 *
 * @param context           the client context: the trusted CAs, the client certificate if any
 * @param verifyHostname    whether the broker's certificate must name {@code gamewire.broker.host}
 * @param trustSource       where the trusted CAs came from, for errors
 * @param clientCertificate whether a client certificate is shown
 * @param handshakes        the TLS handshakes begun and completed on the factory's sockets, for errors
 */
public record BrokerTls(SSLContext context, boolean verifyHostname, String trustSource, boolean clientCertificate,
                        Handshakes handshakes) {

    /** Whether the broker is reached over TLS. */
    public static final String PROPERTY = "gamewire.broker.tls";
    /** The settings of the broker's TLS: {@code gamewire.broker.tls.}. */
    public static final String PREFIX = PROPERTY + ".";
    /** The protocols offered: older ones are broken, and disabled by the JDK too unless java.security is edited. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** Alerts a broker sends when it refuses or misses the client's certificate. */
    private static final java.util.Set<String> CERTIFICATE_ALERTS = java.util.Set.of("certificate_required",
            "bad_certificate", "unknown_ca", "certificate_unknown", "unsupported_certificate", "certificate_expired",
            "certificate_revoked", "access_denied", "decrypt_error");

    public BrokerTls(SSLContext context, boolean verifyHostname, String trustSource, boolean clientCertificate) {
        this(context, verifyHostname, trustSource, clientCertificate, new Handshakes());
    }

    /** The settings' TLS to the broker; null when {@code gamewire.broker.tls} is false. */
    public static BrokerTls from(Settings settings) {
        if (!settings.bool(PROPERTY)) {
            return null;
        }
        return of(TrustedCertificates.from(settings, PREFIX), TlsIdentity.from(settings, PREFIX),
                settings.bool(PREFIX + "verify-hostname"));
    }

    /**
     * The broker's trusted CAs and client certificate ({@code gamewire.broker.tls.ca} or
     * {@code .truststore}; {@code .certificate} and {@code .private-key}, or {@code .keystore}) for
     * its management API over https ({@code gamewire.ops.rabbitmq-management.url}), whether or not
     * the AMQP connection is TLS: one private CA usually signs both of the broker's listeners. The
     * host name is always checked there: the JDK's HTTP client does, whatever {@code verify-hostname}
     * (which is for the AMQP connection) says.
     */
    public static BrokerTls forManagementApi(Settings settings) {
        return of(TrustedCertificates.from(settings, PREFIX), TlsIdentity.from(settings, PREFIX), true);
    }

    static BrokerTls of(TrustedCertificates trust, Optional<TlsIdentity> identity, boolean verifyHostname) {
        try {
            return new BrokerTls(ClientTls.context(trust, identity), verifyHostname, trust.source(),
                    identity.isPresent());
        } catch (GeneralSecurityException e) {
            throw new StartupException("TLS to the AMQP broker (" + PROPERTY + ") cannot be set up with "
                    + trust.source() + ": " + e.getMessage(), e);
        }
    }

    /** The parameters of a client of this TLS: {@link #context}'s, offering TLSv1.3 and TLSv1.2 only. */
    public SSLParameters parameters() {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        return parameters;
    }

    /**
     * Makes every connection of {@code factory} TLS: its socket factory, then the protocols and the
     * host name check on each socket (the client composes socket configurators in order), and a
     * listener that counts the socket's completed handshake (for {@link #explain}).
     */
    public void applyTo(ConnectionFactory factory) {
        factory.useSslProtocol(context);
        factory.setSocketConfigurator(factory.getSocketConfigurator().andThen(socket -> {
            if (socket instanceof SSLSocket tls) {
                tls.setEnabledProtocols(PROTOCOLS);
                handshakes.begun();
                tls.addHandshakeCompletedListener(event -> handshakes.completed());
            }
        }));
        if (verifyHostname) {
            factory.enableHostnameVerification();
        }
    }

    /**
     * What to tell the operator when {@code failure} (a connection or start failure) was TLS's:
     * a start error naming the broker, what went wrong and the settings to check; empty when it
     * was not a TLS failure.
     */
    public Optional<String> explain(Throwable failure, String address) {
        String start = "cannot connect to the AMQP broker at " + address + " over TLS (" + PROPERTY + "=true): ";
        Optional<SSLException> found = HandshakeFailures.anySslException(failure);
        if (found.isEmpty()) {
            // TLSv1.3: the client's side of the handshake is done before the broker checks the client's
            // certificate, so a refused one often shows as a reset when the client goes on, not as an alert
            Throwable root = rootCause(failure);
            if (!closedByPeer(root) || duringLogin(failure)) {
                return Optional.empty();
            }
            return Optional.of(start + (handshakes.allCompleted()
                    ? "the broker closed the connection right after the TLS handshake (" + root + "), as it does when"
                    + " it refuses the client's certificate"
                    : "the connection was closed (" + root + "); possibly the broker refused the client's certificate"
                    + " after the TLS handshake") + clientCertificateAdvice());
        }
        SSLException tls = found.get();
        if (HandshakeFailures.plaintextPeer(tls)) {
            return Optional.of(start + "it answered without TLS (" + tls.getMessage() + "). gamewire.broker.port must be"
                    + " the broker's TLS port (RabbitMQ: listeners.ssl, usually 5671), or set " + PROPERTY + "=false");
        }
        Optional<String> alert = HandshakeFailures.peerAlert(tls);
        if (alert.isPresent()) {
            return Optional.of(start + "the broker refused the TLS connection (" + tls.getMessage() + ")"
                    + peerAlertAdvice(alert.get()));
        }
        if (HandshakeFailures.nameMismatch(tls)) {
            return Optional.of(start + "the broker's certificate does not name the host gamewire connects to ("
                    + describe(tls) + "). The certificate must name gamewire.broker.host in a subject alternative"
                    + " name (a DNS name, or an IP address when the host is one)");
        }
        if (HandshakeFailures.untrusted(tls)) {
            return Optional.of(start + "gamewire does not trust the broker's certificate (" + describe(tls) + ")."
                    + " It must be signed by a CA of " + PREFIX + "ca or " + PREFIX + "truststore (now " + trustSource
                    + ") and be valid now");
        }
        return Optional.of(start + "the TLS handshake failed (" + describe(tls) + "). gamewire offers "
                + String.join(" and ", PROTOCOLS) + " and trusts the CAs of " + trustSource);
    }

    /** Why a broker sends {@code alert}, and what to check. */
    private String peerAlertAdvice(String alert) {
        if (CERTIFICATE_ALERTS.contains(alert)) {
            return ", as it does when it refuses the client's certificate or gets none" + clientCertificateAdvice();
        }
        if (alert.equals("handshake_failure")) {
            return ": it shares no protocol version or cipher suite with gamewire (which offers "
                    + String.join(" and ", PROTOCOLS) + "), or, over TLSv1.2, it did not get the client certificate it"
                    + " requires" + clientCertificateAdvice();
        }
        if (alert.equals("protocol_version") || alert.equals("insufficient_security")) {
            return ": it shares no protocol version or cipher suite with gamewire, which offers "
                    + String.join(" and ", PROTOCOLS) + " (RabbitMQ: ssl_options.versions)";
        }
        return "; the broker's log says why";
    }

    private String clientCertificateAdvice() {
        return clientCertificate ? "; the broker must trust the client certificate of " + PREFIX + "certificate or "
                + PREFIX + "keystore (RabbitMQ: ssl_options.cacertfile)"
                : "; a broker that asks for a client certificate (fail_if_no_peer_cert) needs " + PREFIX
                + "certificate or " + PREFIX + "keystore";
    }

    /**
     * A connection the broker reset or ended: an end of stream, a reset or a broken pipe; not one
     * that never reached it (refused, no route, network unreachable, a local address in use: no TLS
     * matter).
     */
    private static boolean closedByPeer(Throwable root) {
        if (root instanceof java.io.EOFException) {
            return true;
        }
        if (!(root instanceof java.net.SocketException) || root instanceof java.net.ConnectException
                || root instanceof java.net.NoRouteToHostException || root instanceof java.net.BindException
                || root instanceof java.net.PortUnreachableException) {
            return false;
        }
        String message = String.valueOf(root.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("connection reset") || message.contains("broken pipe");
    }

    /** Whether the broker closed the connection during the AMQP login (a user or password refused): no TLS matter. */
    private static boolean duringLogin(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof com.rabbitmq.client.PossibleAuthenticationFailureException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * The TLS handshakes on the sockets of the factory {@link #applyTo} configured: whether every
     * one begun has completed (JSSE tells a completed handshake to listeners on a thread of its own,
     * so a count may lag: then the answer is no, and the error says "possibly").
     */
    public static final class Handshakes {

        private final java.util.concurrent.atomic.AtomicLong begun = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();

        void begun() {
            begun.incrementAndGet();
        }

        void completed() {
            completed.incrementAndGet();
        }

        boolean allCompleted() {
            long done = completed.get();
            return done > 0 && done >= begun.get();
        }
    }
}
