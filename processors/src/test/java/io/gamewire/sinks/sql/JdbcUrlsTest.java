package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** {@code gamewire.db.url} in start errors: its passwords hidden, a TLS failure told apart. */
class JdbcUrlsTest {

    @Test
    void everyPasswordParameterIsHiddenTheRestKept() {
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://db:3306/gamewire?sslMode=VERIFY_IDENTITY"
                + "&trustCertificateKeyStoreUrl=file:/etc/gw/ca.p12&trustCertificateKeyStorePassword=s3cret&password=pw2"
                + "&clientCertificateKeyStorePassword=pw3&rewriteBatchedStatements=true"))
                .isEqualTo("jdbc:mysql://db:3306/gamewire?sslMode=VERIFY_IDENTITY"
                        + "&trustCertificateKeyStoreUrl=file:/etc/gw/ca.p12&trustCertificateKeyStorePassword=***"
                        + "&password=***&clientCertificateKeyStorePassword=***&rewriteBatchedStatements=true");
        assertThat(JdbcUrls.withoutSecrets("jdbc:h2:file:/data/db/gamewire;MODE=MySQL;PASSWORD=x;USER=sa"))
                .isEqualTo("jdbc:h2:file:/data/db/gamewire;MODE=MySQL;PASSWORD=***;USER=sa");
    }

    @Test
    void aTlsFailureNamesTheUrlParametersToCheckAnOtherFailureAddsNothing() {
        SQLException tls = new SQLException("Communications link failure",
                new SSLHandshakeException("PKIX path building failed"));

        assertThat(JdbcUrls.tlsAdvice(new RuntimeException(tls)))
                .contains("TLS to the database failed, a certificate or handshake problem (PKIX path building failed)")
                .contains("trustCertificateKeyStoreUrl");
        assertThat(JdbcUrls.tlsAdvice(new SQLException("Access denied"))).isEmpty();
    }
}
