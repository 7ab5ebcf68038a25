package io.gamewire.tls;

import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * The CAs gamewire trusts as a TLS client, from the settings under a prefix: {@code <prefix>ca}, a
 * PEM file of CA certificates (as {@code gamewire.tcp.tls.client-ca} is for the server), or
 * {@code <prefix>truststore}, a PKCS#12 or JKS trust store, with {@code <prefix>truststore-password}.
 * Neither: the JDK's default trust store (its public CAs, or {@code -Djavax.net.ssl.trustStore}).
 *
 * @param store  the CAs, or null for the JDK's default trust store
 * @param source where they came from, for errors
 */
public record TrustedCertificates(KeyStore store, String source) {

    /** The CAs the settings under {@code prefix} name. */
    public static TrustedCertificates from(Settings settings, String prefix) {
        String ca = settings.optional(prefix + "ca").orElse("");
        String truststore = settings.optional(prefix + "truststore").orElse("");
        if (!ca.isEmpty() && !truststore.isEmpty()) {
            throw new StartupException(prefix + "ca and " + prefix + "truststore are both set: set either " + prefix
                    + "ca (PEM) or " + prefix + "truststore (PKCS#12 or JKS), not both");
        }
        if (!ca.isEmpty()) {
            return pem(prefix + "ca", Path.of(ca));
        }
        if (!truststore.isEmpty()) {
            return keyStore(prefix, Path.of(truststore), settings.optional(prefix + "truststore-password").orElse(""));
        }
        return new TrustedCertificates(null, "the JDK's default trust store (neither " + prefix + "ca nor " + prefix
                + "truststore is set)");
    }

    /** The certificates of a PEM file, each trusted. */
    static TrustedCertificates pem(String setting, Path file) {
        List<X509Certificate> certificates = PemFiles.certificates(setting, file);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return new TrustedCertificates(store, setting + " " + file);
        } catch (GeneralSecurityException | IOException e) {
            throw new StartupException(setting + ": " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A trust store file. The JDK's PKCS12 key store reads JKS files too (keystore.type.compat);
     * without a password the store's integrity is not checked, and the certificates that keytool
     * encrypted cannot be read, which the "holds no certificate" error then hints at.
     */
    static TrustedCertificates keyStore(String prefix, Path file, String password) {
        String setting = prefix + "truststore";
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    return new TrustedCertificates(store, setting + " " + file);
                }
            }
            throw new StartupException(setting + ": " + file + " holds no trusted certificate entry"
                    + (password.isEmpty() ? " (without " + prefix + "truststore-password, encrypted ones cannot be read)"
                    : "") + "; add the CA with keytool -importcert -trustcacerts");
        } catch (IOException e) {
            throw new StartupException(setting + ": cannot read " + file + " as PKCS#12 or JKS with " + prefix
                    + "truststore-password: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new StartupException(setting + ": " + file + ": " + e.getMessage(), e);
        }
    }
}
