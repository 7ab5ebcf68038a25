package io.gamewire.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code gamewire.admin.token}, the one secret of the admin API and the web console. Only its
 * SHA-256 is kept, and a presented token is hashed before the comparison: {@link MessageDigest#isEqual}
 * takes time that depends only on the length of its arguments, and two digests always have the same
 * length, so neither the token's bytes nor its length can be learnt from answer times.
 */
public final class AdminToken {

    private final byte[] sha256;

    /** @param token {@code gamewire.admin.token}; empty or null turns the admin API and the console off */
    public AdminToken(String token) {
        this.sha256 = token == null || token.isEmpty() ? null : sha256(token);
    }

    /** Whether a token is configured; without one the admin API and the console answer 403. */
    public boolean configured() {
        return sha256 != null;
    }

    /** Whether {@code presented} is the token, compared in constant time; false when none is configured. */
    public boolean matches(String presented) {
        if (sha256 == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256, sha256(presented));
    }

    static byte[] sha256(String value) {
        return sha256Of(value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256Of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        // never the token, not even in a debugger's or a log's view of the bean
        return configured() ? "AdminToken[configured]" : "AdminToken[off]";
    }
}
