package io.gamewire.tls;

import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Tells TLS failures from other connection failures, for errors that say which it was: the
 * clients of the AMQP broker, the database and the admin API wrap JSSE's exception in their own.
 */
public final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /** The outermost TLS failure among {@code failure} and its causes. */
    public static Optional<SSLException> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SSLException tls) {
                return Optional.of(tls);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the peer answered without TLS: JSSE's "Unsupported or unrecognized SSL message",
     * when the first bytes back are no TLS record (a plaintext port).
     */
    public static boolean plaintextPeer(SSLException failure) {
        return String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("unrecognized ssl message");
    }
}
