package io.gamewire.sinks.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Turns any cache key a title can make into a key memcached takes. memcached's text protocol
 * allows at most {@value #MAX_KEY_BYTES} bytes and no space or control character, but a title's key
 * template is filled from payload fields, which may hold anything ({@code "score:ada lovelace"}).
 * The rules, so that the embedded cache (Caffeine, any string) and memcached store the same events:
 * <ol>
 *   <li>every UTF-8 byte outside {@code !}..{@code ~}, and {@code %} itself, is written {@code %XX}
 *       (upper-case hex): {@code "score:ada lovelace"} becomes {@code "score:ada%20lovelace"};
 *       ordinary keys stay as they are;</li>
 *   <li>a key still over {@value #MAX_KEY_BYTES} bytes keeps its first {@value #HEAD_BYTES} bytes,
 *       then {@code %H} and the unpadded base64url SHA-256 of the whole key (prefix included).</li>
 * </ol>
 * Two different keys never meet: escaping is one-to-one, an escaped key has every {@code %}
 * followed by two hex digits while a hashed one holds {@code %H}, and hashed keys differ in their
 * hash.
 */
public final class MemcachedKeys {

    /** The longest key memcached's text protocol takes. */
    public static final int MAX_KEY_BYTES = 250;
    /** SHA-256 in unpadded base64url. */
    private static final int HASH_CHARS = 43;
    /** What a hashed key keeps of the escaped one, to stay readable in {@code stats cachedump}. */
    static final int HEAD_BYTES = MAX_KEY_BYTES - 2 - HASH_CHARS;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private MemcachedKeys() {
    }

    /** The memcached key for {@code prefix + key}. */
    public static String of(String prefix, String key) {
        String whole = prefix + key;
        String escaped = escaped(whole);
        if (escaped.length() <= MAX_KEY_BYTES) { // escaped keys are ASCII: a char is a byte
            return escaped;
        }
        return escaped.substring(0, HEAD_BYTES) + "%H" + sha256(whole);
    }

    private static String escaped(String key) {
        boolean plain = true;
        for (int i = 0; i < key.length() && plain; i++) {
            plain = isPlain(key.charAt(i));
        }
        if (plain) {
            return key;
        }
        StringBuilder escaped = new StringBuilder(key.length() + 16);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int unsigned = b & 0xff;
            if (isPlain(unsigned)) {
                escaped.append((char) unsigned);
            } else {
                escaped.append('%').append(HEX[unsigned >> 4]).append(HEX[unsigned & 0xf]);
            }
        }
        return escaped.toString();
    }

    /** Printable ASCII but {@code %}: what memcached takes and the escaping leaves alone. */
    private static boolean isPlain(int c) {
        return c > ' ' && c < 0x7f && c != '%';
    }

    private static String sha256(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
