package io.gamewire.tls;

import io.gamewire.config.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM files with the JDK alone: X.509 certificates (one or a chain) and an unencrypted
 * PKCS#8 private key ({@code BEGIN PRIVATE KEY}) of type RSA, EC or Ed25519. Every failure names
 * the setting and the file, and says how to convert what is not supported.
 */
final class PemFiles {

    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PKCS8_END = "-----END PRIVATE KEY-----";

    private PemFiles() {
    }

    /** The certificates of {@code file}, in their order (a chain: the server's first). */
    static List<X509Certificate> certificates(String setting, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new StartupException(setting + ": " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new StartupException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new StartupException(setting + ": " + file + " is not a PEM X.509 certificate file: "
                    + e.getMessage(), e);
        }
    }

    /** The private key of {@code file}. */
    static PrivateKey privateKey(String setting, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StartupException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        int begin = text.indexOf(PKCS8_BEGIN);
        int end = text.indexOf(PKCS8_END);
        if (begin < 0 || end < begin) {
            String found = text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    ? "a PKCS#1/SEC1 key" : text.contains("BEGIN ENCRYPTED PRIVATE KEY") ? "an encrypted key" : "no key";
            throw new StartupException(setting + ": " + file + " holds " + found + "; an unencrypted PKCS#8 key"
                    + " (-----BEGIN PRIVATE KEY-----) is needed: openssl pkcs8 -topk8 -nocrypt -in key.pem -out"
                    + " key-pkcs8.pem, or use " + setting.substring(0, setting.lastIndexOf('.') + 1) + "keystore (PKCS#12)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new StartupException(setting + ": " + file + " is not valid PEM (its Base64 is broken): "
                    + e.getMessage(), e);
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new StartupException(setting + ": " + file + " is a PKCS#8 key of none of RSA, EC, Ed25519");
    }
}
