package io.gamewire.tls;

import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

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
 */
public record BrokerTls(SSLContext context, boolean verifyHostname, String trustSource, boolean clientCertificate) {

    /** Whether the broker is reached over TLS. */
    public static final String PROPERTY = "gamewire.broker.tls";
    static final String PREFIX = PROPERTY + ".";
    /** The protocols offered: older ones are broken, and disabled by the JDK too unless java.security is edited. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** The settings' TLS to the broker; null when {@code gamewire.broker.tls} is false. */
    public static BrokerTls from(Settings settings) {
        if (!settings.bool(PROPERTY)) {
            return null;
        }
        return of(TrustedCertificates.from(settings, PREFIX), TlsIdentity.from(settings, PREFIX),
                settings.bool(PREFIX + "verify-hostname"));
    }

    static BrokerTls of(TrustedCertificates trust, Optional<TlsIdentity> identity, boolean verifyHostname) {
        try {
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust.store()); // null: the JDK's default trust store
            KeyManager[] keyManagers = null;
            if (identity.isPresent()) {
                TlsIdentity.Stored stored = identity.get().stored();
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(stored.store(), stored.password());
                keyManagers = keys.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers.getTrustManagers(), null);
            return new BrokerTls(context, verifyHostname, trust.source(), identity.isPresent());
        } catch (GeneralSecurityException e) {
            throw new StartupException("TLS to the AMQP broker (" + PROPERTY + ") cannot be set up with "
                    + trust.source() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes every connection of {@code factory} TLS: its socket factory, then the protocols and the
     * host name check on each socket (the client composes socket configurators in order).
     */
    public void applyTo(ConnectionFactory factory) {
        factory.useSslProtocol(context);
        factory.setSocketConfigurator(factory.getSocketConfigurator().andThen(socket -> {
            if (socket instanceof SSLSocket tls) {
                tls.setEnabledProtocols(PROTOCOLS);
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
        Optional<SSLException> handshake = HandshakeFailures.of(failure);
        if (handshake.isEmpty()) {
            // TLSv1.3: the client's side of the handshake is done before the broker checks the client's
            // certificate, so a refused one often shows as a reset when the client goes on, not as an alert
            Throwable root = rootCause(failure);
            return closedByPeer(root) ? Optional.of(start + "the broker closed the connection after the handshake ("
                    + root + "), as it does when it refuses the client's certificate" + clientCertificateAdvice())
                    : Optional.empty();
        }
        SSLException tls = handshake.get();
        if (HandshakeFailures.plaintextPeer(tls)) {
            return Optional.of(start + "it answered without TLS (" + tls.getMessage() + "). gamewire.broker.port must be"
                    + " the broker's TLS port (RabbitMQ: listeners.ssl, usually 5671), or set " + PROPERTY + "=false");
        }
        return Optional.of(start + "the TLS handshake failed, a certificate problem: " + describe(tls) + ". The broker's"
                + " certificate must be signed by a CA of " + PREFIX + "ca or " + PREFIX + "truststore (now "
                + trustSource + ")" + (verifyHostname ? " and name gamewire.broker.host (or set " + PREFIX
                + "verify-hostname=false)" : "") + clientCertificateAdvice());
    }

    private String clientCertificateAdvice() {
        return clientCertificate ? "; the broker must trust the client certificate of " + PREFIX + "certificate or "
                + PREFIX + "keystore (RabbitMQ: ssl_options.cacertfile)"
                : "; a broker that asks for a client certificate (fail_if_no_peer_cert) needs " + PREFIX
                + "certificate or " + PREFIX + "keystore";
    }

    /** A connection the broker reset or ended, not one it never accepted (that is no TLS matter). */
    private static boolean closedByPeer(Throwable root) {
        return root instanceof java.io.EOFException || root instanceof java.net.SocketException
                && !(root instanceof java.net.ConnectException) && !(root instanceof java.net.NoRouteToHostException);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The failure's message and that of its innermost cause (JSSE's is the specific one: "PKIX path ..."). */
    private static String describe(SSLException tls) {
        Throwable root = rootCause(tls);
        return root == tls || String.valueOf(tls.getMessage()).contains(String.valueOf(root.getMessage()))
                ? tls.getMessage() : tls.getMessage() + " (" + root.getMessage() + ")";
    }
}
