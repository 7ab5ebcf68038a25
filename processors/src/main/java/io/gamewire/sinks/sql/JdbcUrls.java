package io.gamewire.sinks.sql;

import io.gamewire.tls.HandshakeFailures;
import java.util.regex.Pattern;

/**
 * {@code gamewire.db.url} in messages. A MySQL Connector/J URL may carry passwords in its query
 * ({@code password}, {@code trustCertificateKeyStorePassword} for TLS,
 * {@code clientCertificateKeyStorePassword}): start errors and logs show it without their values.
 */
public final class JdbcUrls {

    /** A query parameter whose name ends in "password" (any case), up to the next & or ;. */
    private static final Pattern PASSWORD = Pattern.compile("(?i)([?&;][A-Za-z]*password=)[^&;]*");

    private JdbcUrls() {
    }

    /** The URL with the value of every password parameter replaced by {@code ***}. */
    public static String withoutSecrets(String jdbcUrl) {
        return PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
    }

    /**
     * What to add to a failure to reach the database when it was TLS's (the server's certificate not
     * signed by the trust store's CA, a host name it does not name): the URL parameters to check.
     * Empty otherwise.
     */
    public static String tlsAdvice(Throwable failure) {
        return HandshakeFailures.of(failure).map(tls -> ". TLS to the database failed, a certificate or handshake"
                + " problem (" + tls.getMessage() + "): check sslMode (VERIFY_CA, VERIFY_IDENTITY: the certificate"
                + " must name the URL's host) and the CA in trustCertificateKeyStoreUrl, trustCertificateKeyStoreType"
                + " and trustCertificateKeyStorePassword of gamewire.db.url").orElse("");
    }
}
