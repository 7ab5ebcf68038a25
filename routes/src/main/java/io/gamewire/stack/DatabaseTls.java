package io.gamewire.stack;

import io.gamewire.tls.HandshakeFailures;

/**
 * What a start error adds when reaching the database failed over TLS (the server's certificate
 * not signed by the trust store's CA, a host name it does not name): the URL parameters to check.
 * Here, where the start error is built, so that the storage adapters need not know TLS.
 */
final class DatabaseTls {

    private DatabaseTls() {
    }

    /** The advice for {@code failure} when it was TLS's, empty otherwise. */
    static String advice(Throwable failure) {
        return HandshakeFailures.anySslException(failure).map(tls -> ". TLS to the database failed, a certificate or"
                + " handshake problem (" + tls.getMessage() + "): check sslMode (VERIFY_CA, VERIFY_IDENTITY: the"
                + " certificate must name the URL's host) and the CA in trustCertificateKeyStoreUrl,"
                + " trustCertificateKeyStoreType and trustCertificateKeyStorePassword of gamewire.db.url").orElse("");
    }
}
