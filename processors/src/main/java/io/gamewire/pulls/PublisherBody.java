package io.gamewire.pulls;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What gamewire reads of a publisher's response body, for pages, indexes and details alike: the
 * body as sent before {@code Content-Encoding: gzip} (the only encoding a pull asks for), checked to
 * be UTF-8 ({@link Utf8Body}), and, where a document is held whole, bounded by
 * {@code limits.max-document-bytes} ({@link BoundedBody}).
 *
 * <p>UTF-8 only, as RFC 8259 §8.1 requires of JSON exchanged between systems: a body that
 * declares another charset is refused naming it, rather than decoded, so every item on the bus is
 * the text the publisher meant or no item at all.
 */
final class PublisherBody {

    /** The setting that bounds a document, as messages name it. */
    static final String LIMIT_SETTING = "limits.max-document-bytes";

    private PublisherBody() {
    }

    /**
     * The body to parse: gzip undone, checked to be UTF-8, and failing past {@code maxBytes} bytes
     * (after gzip) unless that is 0.
     *
     * @throws IOException when the gzip header cannot be read
     */
    static InputStream open(HttpResponse<?> response, InputStream body, long maxBytes) throws IOException {
        boolean gzip = response.headers().firstValue("Content-Encoding").map(e -> e.trim().equalsIgnoreCase("gzip"))
                .orElse(false);
        InputStream decoded = gzip ? new GZIPInputStream(body, 64 * 1024) : body;
        if (maxBytes > 0) {
            decoded = new BoundedBody(decoded, maxBytes, "the most one JSON document may have (" + LIMIT_SETTING + ")");
        }
        return new Utf8Body(decoded);
    }

    /**
     * Why a response's declared charset is refused: any but UTF-8 (or US-ASCII, a part of it); empty
     * when it declares none or UTF-8.
     */
    static Optional<String> charsetRefusal(String contentType) {
        Optional<String> declared = charset(contentType);
        if (declared.isEmpty()) {
            return Optional.empty();
        }
        String name = declared.get();
        try {
            Charset charset = Charset.forName(name);
            if (charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)) {
                return Optional.empty();
            }
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            // an unknown charset is refused like a known other one
        }
        return Optional.of("declares charset=" + name + "; gamewire reads a publisher's JSON as UTF-8 only"
                + " (RFC 8259), so the publisher must send UTF-8");
    }

    /** The {@code charset} parameter of a Content-Type header, unquoted; empty when there is none. */
    static Optional<String> charset(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("charset")) {
                String value = parameter.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
