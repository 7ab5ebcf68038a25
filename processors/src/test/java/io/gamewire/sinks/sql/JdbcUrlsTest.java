package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code gamewire.db.url} in start errors: every form of password Connector/J and H2 take hidden, the rest kept. */
class JdbcUrlsTest {

    private static void hides(String url, String shown) {
        assertThat(JdbcUrls.withoutSecrets(url)).isEqualTo(shown);
    }

    @Test
    void everyPasswordParameterIsHiddenTheRestKept() {
        hides("jdbc:mysql://db:3306/gamewire?sslMode=VERIFY_IDENTITY"
                + "&trustCertificateKeyStoreUrl=file:/etc/gw/ca.p12&trustCertificateKeyStorePassword=s3cret&password=pw2"
                + "&clientCertificateKeyStorePassword=pw3&rewriteBatchedStatements=true",
                "jdbc:mysql://db:3306/gamewire?sslMode=VERIFY_IDENTITY"
                        + "&trustCertificateKeyStoreUrl=file:/etc/gw/ca.p12&trustCertificateKeyStorePassword=***"
                        + "&password=***&clientCertificateKeyStorePassword=***&rewriteBatchedStatements=true");
    }

    @Test
    void inAMysqlUrlOnlyAnAmpersandEndsAPasswordSoASemicolonInItIsHiddenToo() {
        hides("jdbc:mysql://db/gamewire?password=ab;cd&useSSL=true",
                "jdbc:mysql://db/gamewire?password=***&useSSL=true");
        hides("jdbc:mysql://db/gamewire?PASSWORD=ab;cd",
                "jdbc:mysql://db/gamewire?PASSWORD=***");
    }

    @Test
    void parameterNamesWithDotsDashesAndDigitsAreCovered() {
        hides("mysqlx://db:33060/gamewire?xdevapi.ssl-truststore-password=ts1&password1=x&sslMode=REQUIRED",
                "mysqlx://db:33060/gamewire?xdevapi.ssl-truststore-password=***&password1=***&sslMode=REQUIRED");
        hides("jdbc:mysql://db/gw?xdevapi.ssl-truststore-password=ts1",
                "jdbc:mysql://db/gw?xdevapi.ssl-truststore-password=***");
    }

    @Test
    void theUserInformationOfAHostKeepsItsUserNotItsPassword() {
        hides("jdbc:mysql://gw:secret@db:3306/gamewire?sslMode=REQUIRED",
                "jdbc:mysql://gw:***@db:3306/gamewire?sslMode=REQUIRED");
        hides("jdbc:mysql:replication://gw:s1@db1:3306,gw:s2@db2:3306/gamewire",
                "jdbc:mysql:replication://gw:***@db1:3306,gw:***@db2:3306/gamewire");
        // a user without a password, an IPv6 host: nothing to hide
        hides("jdbc:mysql://gw@db:3306/gamewire", "jdbc:mysql://gw@db:3306/gamewire");
        hides("jdbc:mysql://[::1]:3306/gamewire", "jdbc:mysql://[::1]:3306/gamewire");
    }

    @Test
    void theKeyValueFormsOfAHostHideTheirPassword() {
        hides("jdbc:mysql://(host=db,port=3306,password=secret,user=gw)/gamewire",
                "jdbc:mysql://(host=db,port=3306,password=***,user=gw)/gamewire");
        hides("jdbc:mysql://(host=db,Password=ab;cd)/gamewire",
                "jdbc:mysql://(host=db,Password=***)/gamewire");
        hides("jdbc:mysql://address=(host=db)(port=3306)(password=secret)(user=gw)/gw",
                "jdbc:mysql://address=(host=db)(port=3306)(password=***)(user=gw)/gw");
    }

    @Test
    void anH2UrlsSemicolonSeparatedSettingsStillWork() {
        hides("jdbc:h2:file:/data/db/gamewire;MODE=MySQL;PASSWORD=x;USER=sa",
                "jdbc:h2:file:/data/db/gamewire;MODE=MySQL;PASSWORD=***;USER=sa");
        hides("jdbc:h2:tcp://h2host:9092/gw;CIPHER=AES;FILE_PASSWORD=f1;USER=sa",
                "jdbc:h2:tcp://h2host:9092/gw;CIPHER=AES;FILE_PASSWORD=***;USER=sa");
    }
}
