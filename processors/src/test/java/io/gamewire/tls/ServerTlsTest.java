package io.gamewire.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.StartupException;
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

        assertThatThrownBy(() -> ServerTls.pkcs12(notP12, "secret".toCharArray()))
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
        ServerTls.Identity ec = ServerTls.pkcs12(keytool("ec.p12", "-keyalg", "EC"), PASSWORD);
        ServerTls.Identity rsa = ServerTls.pkcs12(keytool("rsa.p12", "-keyalg", "RSA"), PASSWORD);
        ServerTls.Identity ecWithRsaCertificate = new ServerTls.Identity(ec.key(), rsa.chain(), "the test's pair");

        assertThatThrownBy(() -> ecWithRsaCertificate.serverTls(true, false, ServerTls.ClientCertificates.NONE, List.of()))
                .isInstanceOf(StartupException.class)
                .hasMessage("the test's pair: the key does not go with the (first) certificate: the key is EC,"
                        + " the certificate's key is RSA");
    }

    @Test
    void anEcKeyOnAnotherCurveThanItsCertificateIsRefusedSayingSo() throws Exception {
        ServerTls.Identity p256 = ServerTls.pkcs12(keytool("p256.p12", "-keyalg", "EC", "-groupname", "secp256r1"),
                PASSWORD);
        ServerTls.Identity p384 = ServerTls.pkcs12(keytool("p384.p12", "-keyalg", "EC", "-groupname", "secp384r1"),
                PASSWORD);
        ServerTls.Identity mixed = new ServerTls.Identity(p256.key(), p384.chain(), "the test's pair");

        assertThatThrownBy(() -> mixed.serverTls(true, false, ServerTls.ClientCertificates.NONE, List.of()))
                .isInstanceOf(StartupException.class)
                .hasMessage("the test's pair: the key does not go with the (first) certificate");
    }

    @Test
    void rsaPssAndEd25519KeysAreCheckedAndTaken() throws Exception {
        for (String algorithm : List.of("RSASSA-PSS", "Ed25519", "EC", "RSA")) {
            ServerTls.Identity identity = ServerTls.pkcs12(keytool(algorithm + ".p12", "-keyalg", algorithm), PASSWORD);

            assertThat(identity.serverTls(true, true, ServerTls.ClientCertificates.NONE, List.of()).gwpContext())
                    .as(algorithm).isNotNull();
        }
    }

    @Test
    void aKeystoreEntryOfASecretKeyIsPassedOverForTheServersKey() throws Exception {
        Path store = keytool("mixed.p12", "-keyalg", "EC");
        run("-genseckey", "-keyalg", "AES", "-keysize", "128", "-alias", "aaa-secret", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", new String(PASSWORD));

        assertThat(ServerTls.pkcs12(store, PASSWORD).source()).endsWith("(entry server)");
    }

    private static final char[] PASSWORD = "changeit".toCharArray();

    /** A PKCS#12 file with one self-signed key entry, {@code server}, made by the JDK's keytool. */
    private Path keytool(String file, String... keyAlgorithm) throws Exception {
        Path store = dir.resolve(file);
        List<String> arguments = new java.util.ArrayList<>(List.of("-genkeypair", "-alias", "server", "-dname",
                "CN=localhost", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                new String(PASSWORD)));
        arguments.addAll(List.of(keyAlgorithm));
        run(arguments.toArray(String[]::new));
        return store;
    }

    private static void run(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as("keytool " + command + ": " + output).isZero();
    }
}
