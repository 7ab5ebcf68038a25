package io.gamewire.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** A database start error tells a TLS failure apart and names the URL parameters to check. */
class DatabaseTlsTest {

    @Test
    void aTlsFailureNamesTheUrlParametersToCheckAnOtherFailureAddsNothing() {
        SQLException tls = new SQLException("Communications link failure",
                new SSLHandshakeException("PKIX path building failed"));

        assertThat(DatabaseTls.advice(new RuntimeException(tls)))
                .contains("TLS to the database failed, a certificate or handshake problem (PKIX path building failed)")
                .contains("trustCertificateKeyStoreUrl");
        assertThat(DatabaseTls.advice(new SQLException("Access denied"))).isEmpty();
    }
}
