package io.gamewire.tls;

import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Tells TLS failures from other connection failures, and some TLS failures from others, for
 * errors that say which it was: the clients of the AMQP broker, the database and the admin API
 * wrap JSSE's exception in their own.
 */
public final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /**
     * The outermost TLS failure among {@code failure} and its causes: any {@link SSLException},
     * a failed handshake or a TLS connection that failed later.
     */
    public static Optional<SSLException> anySslException(Throwable failure) {
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

    /**
     * The alert the peer sent to end the connection ("Received fatal alert: certificate_required"
     * gives {@code certificate_required}): the peer refused, not gamewire's check. Empty when
     * gamewire's own side failed.
     */
    public static Optional<String> peerAlert(SSLException failure) {
        String message = String.valueOf(failure.getMessage());
        int at = message.indexOf("Received fatal alert: ");
        return at < 0 ? Optional.empty()
                : Optional.of(message.substring(at + "Received fatal alert: ".length()).strip());
    }

    /**
     * Whether gamewire refused the peer's certificate because it does not name the host connected
     * to (JSSE: "No subject alternative names present", "No subject alternative DNS name matching
     * ... found", "No name matching ... found"), among {@code failure} and its causes.
     */
    public static boolean nameMismatch(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("No subject alternative names") || message.contains("No subject alternative DNS name")
                    || message.contains("No name matching")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether gamewire refused the peer's certificate as not signed by a CA it trusts, or not valid
     * (JSSE's "PKIX path building failed", "PKIX path validation failed"), among {@code failure} and
     * its causes.
     */
    public static boolean untrusted(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.security.cert.CertPathBuilderException
                    || cause instanceof java.security.cert.CertPathValidatorException
                    || String.valueOf(cause.getMessage()).contains("PKIX path")) {
                return true;
            }
        }
        return false;
    }

    /** The failure's message and that of its innermost cause (JSSE's is the specific one: "PKIX path ..."). */
    public static String describe(SSLException tls) {
        Throwable root = tls;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == tls || String.valueOf(tls.getMessage()).contains(String.valueOf(root.getMessage()))
                ? tls.getMessage() : tls.getMessage() + " (" + root.getMessage() + ")";
    }
}
