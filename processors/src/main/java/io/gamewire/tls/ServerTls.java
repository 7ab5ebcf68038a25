package io.gamewire.tls;

import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * TLS for gamewire's two ports, from {@code gamewire.tls.*} (the server's identity, shared) and
 * {@code gamewire.tcp.tls*} / {@code gamewire.http.tls} (which port uses it):
 * <ul>
 *   <li>the identity ({@link TlsIdentity}): a PEM certificate chain ({@code gamewire.tls.certificate})
 *       with its unencrypted PKCS#8 key ({@code gamewire.tls.private-key}), or a PKCS#12 file
 *       ({@code gamewire.tls.keystore}, {@code gamewire.tls.keystore-password}); read once at start,
 *       a missing or unreadable file stops the start naming the setting;</li>
 *   <li>the GWP port: a Netty {@link SslContext}, with client certificates {@code none},
 *       {@code optional} or {@code require}d ({@code gamewire.tcp.tls.client-auth}), checked
 *       against the CAs of {@code gamewire.tcp.tls.client-ca} (PEM);</li>
 *   <li>the HTTP API (and {@code /observe/*} on the same port): Camel's global
 *       {@link SSLContextParameters}, which the platform-http server takes when
 *       {@code camel.server.useGlobalSslContextParameters} is set (the properties file ties that to
 *       {@code gamewire.http.tls}).</li>
 * </ul>
 */
public final class ServerTls {

    /** Whether the GWP port asks game servers for a certificate. */
    public enum ClientCertificates { NONE, OPTIONAL, REQUIRE }

    private final KeyStore identity;
    private final char[] password;
    private final boolean tcp;
    private final boolean http;
    private final ClientCertificates clientCertificates;
    private final List<X509Certificate> clientCas;

    ServerTls(KeyStore identity, char[] password, boolean tcp, boolean http, ClientCertificates clientCertificates,
              List<X509Certificate> clientCas) {
        this.identity = identity;
        this.password = password;
        this.tcp = tcp;
        this.http = http;
        this.clientCertificates = clientCertificates;
        this.clientCas = clientCas;
        if (clientCertificates != ClientCertificates.NONE && clientCas.isEmpty()) {
            throw new StartupException("gamewire.tcp.tls.client-auth=" + clientCertificates.name().toLowerCase(Locale.ROOT)
                    + " needs gamewire.tcp.tls.client-ca, the PEM file of the CAs that sign game servers' certificates");
        }
    }

    /** The settings' TLS; null when neither port has it. */
    public static ServerTls from(Settings settings) {
        boolean tcp = settings.bool("gamewire.tcp.tls");
        boolean http = settings.bool("gamewire.http.tls");
        if (!tcp && !http) {
            return null;
        }
        ClientCertificates clients = ClientCertificates.valueOf(settings.choice("gamewire.tcp.tls.client-auth",
                "none", "optional", "require").toUpperCase(Locale.ROOT));
        String clientCa = settings.optional("gamewire.tcp.tls.client-ca").orElse("");
        List<X509Certificate> cas = clientCa.isEmpty() ? List.of()
                : PemFiles.certificates("gamewire.tcp.tls.client-ca", Path.of(clientCa));
        TlsIdentity identity = TlsIdentity.from(settings, "gamewire.tls.").orElseThrow(() -> new StartupException(
                "TLS (gamewire.tcp.tls or gamewire.http.tls) needs the server's certificate: set either"
                        + " gamewire.tls.certificate and gamewire.tls.private-key (PEM) or gamewire.tls.keystore"
                        + " (PKCS#12)"));
        return of(identity, tcp, http, clients, cas);
    }

    /** TLS with {@code identity}, checked (the key must go with the certificate). */
    static ServerTls of(TlsIdentity identity, boolean tcp, boolean http, ClientCertificates clients,
                        List<X509Certificate> clientCas) {
        TlsIdentity.Stored stored = identity.stored();
        return new ServerTls(stored.store(), stored.password(), tcp, http, clients, clientCas);
    }

    public boolean tcp() {
        return tcp;
    }

    public boolean http() {
        return http;
    }

    /** The GWP port's server context. */
    public SslContext gwpContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, password);
            SslContextBuilder builder = SslContextBuilder.forServer(keys).clientAuth(switch (clientCertificates) {
                case NONE -> ClientAuth.NONE;
                case OPTIONAL -> ClientAuth.OPTIONAL;
                case REQUIRE -> ClientAuth.REQUIRE;
            });
            if (!clientCas.isEmpty()) {
                builder.trustManager(clientCas.toArray(X509Certificate[]::new));
            }
            return builder.build();
        } catch (GeneralSecurityException | SSLException e) {
            throw new StartupException("TLS for the GWP port cannot be set up: " + e.getMessage(), e);
        }
    }

    /** The HTTP server's parameters (Camel's global SSL context parameters). */
    public SSLContextParameters httpParameters() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setKeyStore(identity);
        store.setPassword(new String(password));
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(new String(password));
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keys);
        return parameters;
    }
}
