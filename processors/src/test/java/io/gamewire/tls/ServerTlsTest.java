package io.gamewire.tls;

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
}
