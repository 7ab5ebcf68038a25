package io.gamewire.tls;

import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Optional;

/**
 * A private key with its certificate chain, and where they came from (for errors). gamewire reads
 * one from the four settings under a prefix, the same for each use: {@code <prefix>certificate}
 * (PEM chain, its own certificate first) with {@code <prefix>private-key} (unencrypted PKCS#8 PEM),
 * or {@code <prefix>keystore} (PKCS#12) with {@code <prefix>keystore-password}. The server's
 * identity is {@code gamewire.tls.*} ({@link ServerTls}); the client certificate gamewire shows the
 * broker is {@code gamewire.broker.tls.*} ({@link BrokerTls}).
 */
public record TlsIdentity(PrivateKey key, Certificate[] chain, String source) {

    /**
     * The identity the settings under {@code prefix} name, empty when they name none; a start with
     * both kinds, or half of one (a certificate without its key, a key without its certificate, a
     * key store password without a key store), stops naming the settings.
     */
    public static Optional<TlsIdentity> from(Settings settings, String prefix) {
        String certificate = settings.optional(prefix + "certificate").orElse("");
        String key = settings.optional(prefix + "private-key").orElse("");
        String keystore = settings.optional(prefix + "keystore").orElse("");
        String keystorePassword = settings.optional(prefix + "keystore-password").orElse("");
        if (!keystore.isEmpty() && (!certificate.isEmpty() || !key.isEmpty())) {
            throw new StartupException((certificate.isEmpty() ? prefix + "private-key and " + prefix + "keystore are both"
                    : key.isEmpty() ? prefix + "certificate and " + prefix + "keystore are both" : prefix + "certificate, "
                    + prefix + "private-key and " + prefix + "keystore are all") + " set: set either " + prefix + "certificate and " + prefix + "private-key (PEM)"
                    + " or " + prefix + "keystore (PKCS#12), not both");
        }
        if (keystore.isEmpty() && !keystorePassword.isEmpty()) {
            throw new StartupException(prefix + "keystore-password is set without " + prefix + "keystore, the PKCS#12"
                    + " file it opens: set " + prefix + "keystore, or unset " + prefix + "keystore-password");
        }
        if (!keystore.isEmpty()) {
            return Optional.of(pkcs12(prefix, Path.of(keystore), keystorePassword.toCharArray()));
        }
        if (certificate.isEmpty() && !key.isEmpty()) {
            throw new StartupException(prefix + "private-key needs " + prefix + "certificate, the PEM file of the"
                    + " certificate (chain) of its key");
        }
        if (certificate.isEmpty()) {
            return Optional.empty();
        }
        if (key.isEmpty()) {
            throw new StartupException(prefix + "certificate needs " + prefix + "private-key, the PEM file of its key");
        }
        return Optional.of(new TlsIdentity(PemFiles.privateKey(prefix + "private-key", Path.of(key)),
                PemFiles.certificates(prefix + "certificate", Path.of(certificate)).toArray(Certificate[]::new),
                prefix + "private-key " + key + " and " + prefix + "certificate " + certificate));
    }

    /** The first private key entry of the PKCS#12 file of setting {@code <prefix>keystore}. */
    static TlsIdentity pkcs12(String prefix, Path file, char[] password) {
        String setting = prefix + "keystore";
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) { // not a secret key
                    return new TlsIdentity((PrivateKey) store.getKey(alias, password), store.getCertificateChain(alias),
                            setting + " " + file + " (entry " + alias + ")");
                }
            }
            throw new StartupException(setting + ": " + file + " holds no private key entry");
        } catch (IOException e) {
            throw new StartupException(setting + ": cannot read " + file + " as PKCS#12 with " + prefix
                    + "keystore-password: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new StartupException(setting + ": " + file + ": " + e.getMessage(), e);
        }
    }

    /** A key store and the password of its one entry. */
    public record Stored(KeyStore store, char[] password) {
    }

    /**
     * The key checked against the chain's first certificate (a key that signs what the certificate's
     * public key verifies), in a key store of the process's own under a random password: Camel
     * resolves property placeholders in a key password, which a password of the user's with
     * {@code {{} in it would break.
     */
    public Stored stored() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
        try {
            requireMatching();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("gamewire", key, password, chain);
            return new Stored(store, password);
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
