package io.gamewire.tls;

import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
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
 *   <li>the identity: a PEM certificate chain ({@code gamewire.tls.certificate}) with its unencrypted
 *       PKCS#8 key ({@code gamewire.tls.private-key}), or a PKCS#12 file
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
        String certificate = settings.optional("gamewire.tls.certificate").orElse("");
        String keystore = settings.optional("gamewire.tls.keystore").orElse("");
        if (certificate.isEmpty() == keystore.isEmpty()) {
            throw new StartupException("TLS (gamewire.tcp.tls or gamewire.http.tls) needs the server's certificate:"
                    + " set either gamewire.tls.certificate and gamewire.tls.private-key (PEM) or gamewire.tls.keystore"
                    + " (PKCS#12), not both and not neither");
        }
        Identity identity;
        if (!keystore.isEmpty()) {
            identity = pkcs12(Path.of(keystore), settings.optional("gamewire.tls.keystore-password").orElse("").toCharArray());
        } else {
            String key = settings.optional("gamewire.tls.private-key").orElse("");
            if (key.isEmpty()) {
                throw new StartupException("gamewire.tls.certificate needs gamewire.tls.private-key, the PEM file of its key");
            }
            identity = new Identity(PemFiles.privateKey("gamewire.tls.private-key", Path.of(key)),
                    PemFiles.certificates("gamewire.tls.certificate", Path.of(certificate)).toArray(Certificate[]::new),
                    "gamewire.tls.private-key " + key + " and gamewire.tls.certificate " + certificate);
        }
        return identity.serverTls(tcp, http, clients, cas);
    }

    /** The server's key and certificate chain, from either kind of file, and where they came from (for errors). */
    record Identity(PrivateKey key, Certificate[] chain, String source) {

        /**
         * The key checked against the chain's first certificate (a key that signs what the certificate's
         * public key verifies), in a key store of the process's own under a random password: Camel
         * resolves property placeholders in a key password, which a password of the user's with
         * {@code {{} in it would break.
         */
        ServerTls serverTls(boolean tcp, boolean http, ClientCertificates clients, List<X509Certificate> clientCas) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
            try {
                requireMatching();
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("gamewire", key, password, chain);
                return new ServerTls(store, password, tcp, http, clients, clientCas);
            } catch (GeneralSecurityException | IOException e) {
                throw new StartupException(source + ": " + e.getMessage(), e);
            }
        }

        private void requireMatching() throws GeneralSecurityException {
            String certified = chain[0].getPublicKey().getAlgorithm();
            if (!key.getAlgorithm().equals(certified)) {
                throw new StartupException(source + ": the key does not go with the (first) certificate: the key is "
                        + key.getAlgorithm() + ", the certificate's key is " + certified);
            }
            Signature signing = signature();
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            boolean matches;
            try {
                signing.initSign(key);
                signing.update(nonce);
                byte[] signed = signing.sign();
                Signature verifying = signature();
                verifying.initVerify(chain[0].getPublicKey());
                verifying.update(nonce);
                matches = verifying.verify(signed);
            } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
                matches = false; // e.g. EC keys on two different curves
            }
            if (!matches) {
                throw new StartupException(source + ": the key does not go with the (first) certificate");
            }
        }

        /** A signature the key's algorithm makes, to try the key against the certificate. */
        private Signature signature() throws GeneralSecurityException {
            return switch (key.getAlgorithm()) {
                case "RSA" -> Signature.getInstance("SHA256withRSA");
                case "EC" -> Signature.getInstance("SHA256withECDSA");
                case "DSA" -> Signature.getInstance("SHA256withDSA");
                case "RSASSA-PSS" -> {
                    Signature pss = Signature.getInstance("RSASSA-PSS");
                    // the key's own parameters when it is restricted to some, else SHA-256 ones
                    pss.setParameter(key instanceof java.security.interfaces.RSAKey rsa
                            && rsa.getParams() instanceof java.security.spec.PSSParameterSpec own ? own
                            : new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
                    yield pss;
                }
                case "Ed25519", "Ed448", "EdDSA" -> Signature.getInstance(key.getAlgorithm());
                default -> throw new StartupException(source + ": a " + key.getAlgorithm()
                        + " key is not supported: use an RSA, RSASSA-PSS, EC, Ed25519, Ed448 or DSA key");
            };
        }
    }

    static Identity pkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) { // not a secret key
                    return new Identity((PrivateKey) store.getKey(alias, password), store.getCertificateChain(alias),
                            "gamewire.tls.keystore " + file + " (entry " + alias + ")");
                }
            }
            throw new StartupException("gamewire.tls.keystore: " + file + " holds no private key entry");
        } catch (IOException e) {
            throw new StartupException("gamewire.tls.keystore: cannot read " + file + " as PKCS#12 with"
                    + " gamewire.tls.keystore-password: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new StartupException("gamewire.tls.keystore: " + file + ": " + e.getMessage(), e);
        }
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
