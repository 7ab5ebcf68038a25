package io.gamewire.testsupport;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made by the JDK's own keytool for one test run: a PKCS#12 file and the same
 * certificate and key as PEM files (the key unencrypted PKCS#8), EC P-256. Either self-signed
 * ({@link #make}), or a test CA ({@link #authority}) and certificates it signs ({@link #sign}), as
 * a RabbitMQ or MariaDB server needs them; the servers' certificates are valid for 127.0.0.1 and
 * localhost.
 */
public record TestCertificates(Path pkcs12, String password, Path certificatePem, Path privateKeyPem) {

    private static final String SERVER_NAMES = "san=ip:127.0.0.1,dns:localhost";

    /** A new key pair and self-signed certificate for {@code commonName}, written under {@code dir}. */
    public static TestCertificates make(Path dir, String commonName) throws Exception {
        generate(dir, commonName, "-ext", SERVER_NAMES);
        return written(dir, commonName);
    }

    /** A certificate authority for the run: self-signed, allowed to sign ({@code basicConstraints CA:true}). */
    public static TestCertificates authority(Path dir, String commonName) throws Exception {
        generate(dir, commonName, "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign");
        return written(dir, commonName);
    }

    /**
     * A new key pair for {@code commonName} with a certificate this authority signs, for 127.0.0.1
     * and localhost; its PKCS#12 file holds the chain (the certificate, then this authority's).
     */
    public TestCertificates sign(Path dir, String commonName) throws Exception {
        generate(dir, commonName);
        Path store = dir.resolve(commonName + ".p12");
        String storePassword = "pw-" + commonName;
        Path request = dir.resolve(commonName + ".csr");
        Path signed = dir.resolve(commonName + "-signed.pem");
        Keytool.run("-certreq", "-alias", commonName, "-keystore", store.toString(), "-storepass", storePassword,
                "-file", request.toString());
        Keytool.run("-gencert", "-rfc", "-alias", alias(), "-keystore", pkcs12.toString(), "-storepass", password,
                "-infile", request.toString(), "-outfile", signed.toString(), "-validity", "2",
                "-ext", SERVER_NAMES, "-ext", "eku=serverAuth,clientAuth");
        Keytool.run("-importcert", "-noprompt", "-alias", "ca", "-file", certificatePem.toString(),
                "-keystore", store.toString(), "-storepass", storePassword);
        Keytool.run("-importcert", "-alias", commonName, "-file", signed.toString(), "-keystore", store.toString(),
                "-storepass", storePassword);
        return written(dir, commonName);
    }

    /**
     * A PKCS#12 trust store holding this certificate only (as MySQL Connector/J's
     * {@code trustCertificateKeyStoreUrl} wants it), made by {@code keytool -importcert}.
     */
    public Path trustStore(Path dir, String storePassword) throws Exception {
        Path store = dir.resolve(alias() + "-trust.p12");
        Keytool.run("-importcert", "-noprompt", "-alias", alias(), "-file", certificatePem.toString(),
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", storePassword);
        return store;
    }

    /** A client context of the JDK that trusts this certificate only. */
    public SSLContext trustingIt() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(), null);
        return context;
    }

    /** A server context of the JDK that presents this certificate (with its chain) and its key. */
    public SSLContext serving() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), null, null);
        return context;
    }

    /** As {@link #serving()}, trusting the client certificates {@code clients} (a CA) signs. */
    public SSLContext serving(TestCertificates clients) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), clients.trustManagers(), null);
        return context;
    }

    private TrustManager[] trustManagers() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("server", certificate);
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        return trustManagers.getTrustManagers();
    }

    private KeyManager[] keyManagers() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            keys.load(in, password.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password.toCharArray());
        return keyManagers.getKeyManagers();
    }

    /** The key entry's alias: the common name, which names the files too. */
    private String alias() {
        String name = pkcs12.getFileName().toString();
        return name.substring(0, name.length() - ".p12".length());
    }

    private static void generate(Path dir, String commonName, String... extensions) throws Exception {
        java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of("-genkeypair",
                "-alias", commonName, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", dir.resolve(commonName + ".p12").toString(),
                "-storepass", "pw-" + commonName, "-keypass", "pw-" + commonName));
        arguments.addAll(java.util.List.of(extensions));
        Keytool.run(arguments.toArray(String[]::new));
    }

    /** The PEM files of the key entry {@code commonName} of its PKCS#12 file. */
    private static TestCertificates written(Path dir, String commonName) throws Exception {
        Path pkcs12 = dir.resolve(commonName + ".p12");
        String password = "pw-" + commonName;
        Path certificate = dir.resolve(commonName + ".pem");
        Keytool.run("-exportcert", "-rfc", "-alias", commonName, "-keystore", pkcs12.toString(), "-storepass", password,
                "-file", certificate.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, password.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(commonName, password.toCharArray());
        Path privateKey = dir.resolve(commonName + "-key.pem");
        Files.writeString(privateKey, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new TestCertificates(pkcs12, password, certificate, privateKey);
    }
}
