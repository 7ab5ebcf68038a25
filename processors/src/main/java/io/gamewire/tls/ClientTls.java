package io.gamewire.tls;

import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS from gamewire to a service, from the settings under one prefix (as for the broker,
 * {@link BrokerTls}): the CAs that sign the service's certificate ({@link TrustedCertificates},
 * {@code <prefix>ca} or {@code .truststore}), whether that certificate must name the host gamewire
 * connects to ({@code <prefix>verify-hostname}), and a client certificate for a service that asks
 * for one ({@link TlsIdentity}, {@code <prefix>certificate}/{@code .private-key} or
 * {@code .keystore}); TLSv1.3 and TLSv1.2 only.
 *
 * @param context        the client context: the trusted CAs, the client certificate if any
 * @param verifyHostname whether the service's certificate must name the host connected to
 * @param trustSource    where the trusted CAs came from, for errors
 */
public record ClientTls(SSLContext context, boolean verifyHostname, String trustSource) {

    /**
     * The settings' TLS under {@code property} (whether it is on) and {@code property + "."} (the
     * rest); null when it is off. {@code service} names the service in errors.
     */
    public static ClientTls from(Settings settings, String property, String service) {
        if (!settings.bool(property)) {
            return null;
        }
        String prefix = property + ".";
        TrustedCertificates trust = TrustedCertificates.from(settings, prefix);
        try {
            return new ClientTls(context(trust, TlsIdentity.from(settings, prefix)),
                    settings.bool(prefix + "verify-hostname"), trust.source());
        } catch (GeneralSecurityException e) {
            throw new StartupException("TLS to " + service + " (" + property + ") cannot be set up with "
                    + trust.source() + ": " + e.getMessage(), e);
        }
    }

    /** A client context trusting {@code trust} and showing {@code identity}, if any. */
    static SSLContext context(TrustedCertificates trust, Optional<TlsIdentity> identity)
            throws GeneralSecurityException {
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
        return context;
    }

    /** The sockets of this TLS. */
    public SSLSocketFactory socketFactory() {
        return context.getSocketFactory();
    }

    /**
     * The parameters of each socket: TLSv1.3 and TLSv1.2 only, and, with {@code verify-hostname},
     * the host name checked against the certificate as HTTPS does (DNS name or IP address).
     */
    public SSLParameters parameters() {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(BrokerTls.PROTOCOLS.clone());
        if (verifyHostname) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return parameters;
    }
}
