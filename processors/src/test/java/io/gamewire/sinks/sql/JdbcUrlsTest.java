package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code gamewire.db.url} in start errors: every form of password Connector/J and H2 take hidden, the rest kept. */
class JdbcUrlsTest {

    @Test
    void everyPasswordParameterIsHiddenTheRestKept() {
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://db:3306/gamewire?sslMode=VERIFY_IDENTITY"
                + "&trustCertificateKeyStoreUrl=file:/etc/gw/ca.p12&trustCertificateKeyStorePassword=s3cret&password=pw2"
                + "&clientCertificateKeyStorePassword=pw3&rewriteBatchedStatements=true"))
                .isEqualTo("jdbc:mysql://db:3306/gamewire?sslMode=VERIFY_IDENTITY"
                        + "&trustCertificateKeyStoreUrl=file:/etc/gw/ca.p12&trustCertificateKeyStorePassword=***"
                        + "&password=***&clientCertificateKeyStorePassword=***&rewriteBatchedStatements=true");
    }

    @Test
    void inAMysqlUrlOnlyAnAmpersandEndsAPasswordSoASemicolonInItIsHiddenToo() {
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://db/gamewire?password=ab;cd&useSSL=true"))
                .isEqualTo("jdbc:mysql://db/gamewire?password=***&useSSL=true");
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://db/gamewire?PASSWORD=ab;cd"))
                .isEqualTo("jdbc:mysql://db/gamewire?PASSWORD=***");
    }

    @Test
    void parameterNamesWithDotsDashesAndDigitsAreCovered() {
        assertThat(JdbcUrls.withoutSecrets("mysqlx://db:33060/gamewire?xdevapi.ssl-truststore-password=ts1"
                + "&password1=x&sslMode=REQUIRED"))
                .isEqualTo("mysqlx://db:33060/gamewire?xdevapi.ssl-truststore-password=***&password1=***"
                        + "&sslMode=REQUIRED");
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://db/gw?xdevapi.ssl-truststore-password=ts1"))
                .isEqualTo("jdbc:mysql://db/gw?xdevapi.ssl-truststore-password=***");
    }

    @Test
    void theUserInformationOfAHostKeepsItsUserNotItsPassword() {
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://gw:secret@db:3306/gamewire?sslMode=REQUIRED"))
                .isEqualTo("jdbc:mysql://gw:***@db:3306/gamewire?sslMode=REQUIRED");
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql:replication://gw:s1@db1:3306,gw:s2@db2:3306/gamewire"))
                .isEqualTo("jdbc:mysql:replication://gw:***@db1:3306,gw:***@db2:3306/gamewire");
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://gw@db:3306/gamewire"))
                .as("a user without a password").isEqualTo("jdbc:mysql://gw@db:3306/gamewire");
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://[::1]:3306/gamewire"))
                .as("an IPv6 host").isEqualTo("jdbc:mysql://[::1]:3306/gamewire");
    }

    @Test
    void theKeyValueFormsOfAHostHideTheirPassword() {
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://(host=db,port=3306,password=secret,user=gw)/gamewire"))
                .isEqualTo("jdbc:mysql://(host=db,port=3306,password=***,user=gw)/gamewire");
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://(host=db,Password=ab;cd)/gamewire"))
                .isEqualTo("jdbc:mysql://(host=db,Password=***)/gamewire");
        assertThat(JdbcUrls.withoutSecrets("jdbc:mysql://address=(host=db)(port=3306)(password=secret)(user=gw)/gw"))
                .isEqualTo("jdbc:mysql://address=(host=db)(port=3306)(password=***)(user=gw)/gw");
    }

    @Test
    void anH2UrlsSemicolonSeparatedSettingsStillWork() {
        assertThat(JdbcUrls.withoutSecrets("jdbc:h2:file:/data/db/gamewire;MODE=MySQL;PASSWORD=x;USER=sa"))
                .isEqualTo("jdbc:h2:file:/data/db/gamewire;MODE=MySQL;PASSWORD=***;USER=sa");
        assertThat(JdbcUrls.withoutSecrets("jdbc:h2:tcp://h2host:9092/gw;CIPHER=AES;FILE_PASSWORD=f1;USER=sa"))
                .isEqualTo("jdbc:h2:tcp://h2host:9092/gw;CIPHER=AES;FILE_PASSWORD=***;USER=sa");
    }
}
