package io.gamewire.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.StartupException;
import io.gamewire.testsupport.TestSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An identity named by half its settings, or by both kinds, stops the start naming the settings,
 * for the client certificate shown to the broker and for the server's certificate alike; no
 * setting at all is no identity. (The files are not read before that: the paths need not exist.)
 */
class TlsIdentityTest {

    private static final String[] PREFIXES = {"gamewire.broker.tls.", "gamewire.tls."};

    private static Map<String, String> values(String prefix, String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(prefix + pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void noSettingIsNoIdentity() {
        for (String prefix : PREFIXES) {
            assertThat(TlsIdentity.from(TestSettings.of(values(prefix, "certificate", "", "private-key", "",
                    "keystore", "", "keystore-password", "")), prefix)).isEmpty();
        }
    }

    @Test
    void aKeyWithoutItsCertificateIsRefused() {
        for (String prefix : PREFIXES) {
            assertThatThrownBy(() -> TlsIdentity.from(TestSettings.of(values(prefix, "private-key", "/k.pem")), prefix))
                    .isInstanceOf(StartupException.class)
                    .hasMessage(prefix + "private-key needs " + prefix + "certificate, the PEM file of the certificate"
                            + " (chain) of its key");
        }
    }

    @Test
    void aKeyOrACertificateWithAKeystoreIsRefused() {
        for (String prefix : PREFIXES) {
            assertThatThrownBy(() -> TlsIdentity.from(TestSettings.of(values(prefix, "private-key", "/k.pem",
                    "keystore", "/id.p12", "keystore-password", "pw")), prefix))
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith(prefix + "private-key and " + prefix + "keystore are both set: set either "
                            + prefix + "certificate and " + prefix + "private-key (PEM) or " + prefix + "keystore");
            assertThatThrownBy(() -> TlsIdentity.from(TestSettings.of(values(prefix, "certificate", "/c.pem",
                    "keystore", "/id.p12")), prefix))
                    .hasMessageStartingWith(prefix + "certificate and " + prefix + "keystore are both set");
            assertThatThrownBy(() -> TlsIdentity.from(TestSettings.of(values(prefix, "certificate", "/c.pem",
                    "private-key", "/k.pem", "keystore", "/id.p12")), prefix))
                    .hasMessageStartingWith(prefix + "certificate, " + prefix + "private-key and " + prefix
                            + "keystore are all set");
        }
    }

    @Test
    void aKeystorePasswordWithoutAKeystoreIsRefused() {
        for (String prefix : PREFIXES) {
            assertThatThrownBy(() -> TlsIdentity.from(TestSettings.of(values(prefix, "keystore-password", "pw")),
                    prefix))
                    .isInstanceOf(StartupException.class)
                    .hasMessage(prefix + "keystore-password is set without " + prefix + "keystore, the PKCS#12 file it"
                            + " opens: set " + prefix + "keystore, or unset " + prefix + "keystore-password");
            assertThatThrownBy(() -> TlsIdentity.from(TestSettings.of(values(prefix, "certificate", "/c.pem",
                    "private-key", "/k.pem", "keystore-password", "pw")), prefix))
                    .hasMessageStartingWith(prefix + "keystore-password is set without " + prefix + "keystore");
        }
    }

    @Test
    void theBrokerClientAndTheServerTlsRefuseAHalfSetIdentityAtStart() {
        Map<String, String> broker = values("gamewire.broker.tls.", "private-key", "/k.pem");
        broker.put("gamewire.broker.tls", "true");
        assertThatThrownBy(() -> BrokerTls.from(TestSettings.of(broker)))
                .hasMessageStartingWith("gamewire.broker.tls.private-key needs gamewire.broker.tls.certificate");

        Map<String, String> server = values("gamewire.tls.", "keystore-password", "pw", "certificate", "/c.pem",
                "private-key", "/k.pem");
        server.put("gamewire.tcp.tls", "true");
        server.put("gamewire.http.tls", "false");
        server.put("gamewire.tcp.tls.client-auth", "none");
        assertThatThrownBy(() -> ServerTls.from(TestSettings.of(server)))
                .hasMessageStartingWith("gamewire.tls.keystore-password is set without gamewire.tls.keystore");
    }
}
