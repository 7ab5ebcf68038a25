package io.gamewire.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.StartupException;
import io.gamewire.testsupport.Keytool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a start with unusable TLS files says: the setting, the file, and what to do (the working paths are TlsIT's). */
class ServerTlsTest {

    @TempDir
    Path dir;

    @Test
    void aPkcs1KeyIsRefusedWithTheConversionThatHelps() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemFiles.privateKey("gamewire.tls.private-key", key))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("gamewire.tls.private-key: " + key + " holds a PKCS#1/SEC1 key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aFileWithoutACertificateIsRefusedNamingIt() throws Exception {
        Path notPem = Files.writeString(dir.resolve("cert.pem"), "hello");
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> PemFiles.certificates("gamewire.tls.certificate", notPem))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("gamewire.tls.certificate: " + notPem + " is not a PEM X.509 certificate file");
        assertThatThrownBy(() -> PemFiles.certificates("gamewire.tcp.tls.client-ca", missing))
                .hasMessageContaining("gamewire.tcp.tls.client-ca: cannot read " + missing);
    }

    @Test
    void aKeystoreThatIsNotPkcs12OrHasAnotherPasswordIsRefused() throws Exception {
        Path notP12 = Files.write(dir.resolve("server.p12"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> TlsIdentity.pkcs12("gamewire.tls.", notP12, "secret".toCharArray()))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("gamewire.tls.keystore: cannot read " + notP12 + " as PKCS#12");
    }

    @Test
    void requiredClientCertificatesNeedTheCasThatSignThem() {
        assertThatThrownBy(() -> new ServerTls(null, new char[0], true, false, ServerTls.ClientCertificates.REQUIRE,
                List.of()))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("gamewire.tcp.tls.client-auth=require needs gamewire.tcp.tls.client-ca");
    }

    @Test
    void aKeyOfAnotherKindThanItsCertificateIsRefusedSayingSo() throws Exception {
        TlsIdentity ec = TlsIdentity.pkcs12("gamewire.tls.", keytool("ec.p12", "-keyalg", "EC"), PASSWORD);
        TlsIdentity rsa = TlsIdentity.pkcs12("gamewire.tls.", keytool("rsa.p12", "-keyalg", "RSA"), PASSWORD);
        TlsIdentity ecWithRsaCertificate = new TlsIdentity(ec.key(), rsa.chain(), "the test's pair");

        assertThatThrownBy(() -> ServerTls.of(ecWithRsaCertificate, true, false, ServerTls.ClientCertificates.NONE, List.of()))
                .isInstanceOf(StartupException.class)
                .hasMessage("the test's pair: the key does not go with the (first) certificate: the key is EC,"
                        + " the certificate's key is RSA");
    }

    @Test
    void anEcKeyOnAnotherCurveThanItsCertificateIsRefusedSayingSo() throws Exception {
        TlsIdentity p256 = TlsIdentity.pkcs12("gamewire.tls.", keytool("p256.p12", "-keyalg", "EC", "-groupname", "secp256r1"),
                PASSWORD);
        TlsIdentity p384 = TlsIdentity.pkcs12("gamewire.tls.", keytool("p384.p12", "-keyalg", "EC", "-groupname", "secp384r1"),
                PASSWORD);
        TlsIdentity mixed = new TlsIdentity(p256.key(), p384.chain(), "the test's pair");

        assertThatThrownBy(() -> ServerTls.of(mixed, true, false, ServerTls.ClientCertificates.NONE, List.of()))
                .isInstanceOf(StartupException.class)
                .hasMessage("the test's pair: the key does not go with the (first) certificate");
    }

    @Test
    void rsaPssAndEd25519KeysAreCheckedAndTaken() throws Exception {
        for (String algorithm : List.of("RSASSA-PSS", "Ed25519", "EC", "RSA")) {
            TlsIdentity identity = TlsIdentity.pkcs12("gamewire.tls.", keytool(algorithm + ".p12", "-keyalg", algorithm), PASSWORD);

            assertThat(ServerTls.of(identity, true, true, ServerTls.ClientCertificates.NONE, List.of()).gwpContext())
                    .as(algorithm).isNotNull();
        }
    }

    @Test
    void aKeystoreEntryOfASecretKeyIsPassedOverForTheServersKey() throws Exception {
        Path store = keytool("mixed.p12", "-keyalg", "EC");
        Keytool.run("-genseckey", "-keyalg", "AES", "-keysize", "128", "-alias", "aaa-secret", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", new String(PASSWORD));

        assertThat(TlsIdentity.pkcs12("gamewire.tls.", store, PASSWORD).source()).endsWith("(entry server)");
    }

    private static final char[] PASSWORD = "changeit".toCharArray();

    /** A PKCS#12 file with one self-signed key entry, {@code server}, made by the JDK's keytool. */
    private Path keytool(String file, String... keyAlgorithm) throws Exception {
        Path store = dir.resolve(file);
        List<String> arguments = new java.util.ArrayList<>(List.of("-genkeypair", "-alias", "server", "-dname",
                "CN=localhost", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                new String(PASSWORD)));
        arguments.addAll(List.of(keyAlgorithm));
        Keytool.run(arguments.toArray(String[]::new));
        return store;
    }
}
