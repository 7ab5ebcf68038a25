package io.gamewire.protocol;

import java.util.Objects;
import java.util.UUID;

/**
 * ERROR: a numbered error about the frame with {@code messageId}, or about the whole connection
 * when {@code messageId} is the nil UUID ({@link #CONNECTION}).
 *
 * @param code a number from {@link ErrorCode}; numbers this version does not know are kept as they
 *             are, so that a newer peer's errors still reach the application
 */
public record ErrorFrame(int code, UUID messageId, String text) implements Frame {

    /** The message id of errors that concern the connection rather than one frame. */
    public static final UUID CONNECTION = new UUID(0, 0);

    public ErrorFrame {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(text, "text");
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("error code must be from 0 to 65535, was " + code);
        }
    }

    public ErrorFrame(ErrorCode code, UUID messageId, String text) {
        this(code.code(), messageId, text);
    }

    /**
     * An ERROR whose text always encodes: cut at a character boundary to the
     * {@link GwpLimits#MAX_ERROR_TEXT_BYTES} bytes of UTF-8 the protocol allows (ending in "…" when
     * cut), unpaired surrogates replaced by '?'. For texts built from what a peer sent, such as
     * exception messages naming field values, which could otherwise make the ERROR itself unencodable.
     */
    public static ErrorFrame truncating(ErrorCode code, UUID messageId, String text) {
        return new ErrorFrame(code, messageId, encodableText(text));
    }

    private static String encodableText(String text) {
        String whole = withoutLoneSurrogates(text);
        if (utf8Length(whole) <= GwpLimits.MAX_ERROR_TEXT_BYTES) {
            return whole;
        }
        String ellipsis = "\u2026";
        int budget = GwpLimits.MAX_ERROR_TEXT_BYTES - utf8Length(ellipsis);
        int bytes = 0;
        int end = 0;
        while (bytes + utf8Width(whole.codePointAt(end)) <= budget) {
            bytes += utf8Width(whole.codePointAt(end));
            end += Character.charCount(whole.codePointAt(end));
        }
        return whole.substring(0, end) + ellipsis;
    }

    private static String withoutLoneSurrogates(String text) {
        StringBuilder clean = null;
        for (int at = 0; at < text.length(); ) {
            int codePoint = text.codePointAt(at);
            int count = Character.charCount(codePoint);
            boolean lone = count == 1 && Character.isSurrogate((char) codePoint);
            if (lone && clean == null) {
                clean = new StringBuilder(text.length()).append(text, 0, at);
            }
            if (clean != null) {
                clean.appendCodePoint(lone ? '?' : codePoint);
            }
            at += count;
        }
        return clean == null ? text : clean.toString();
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int at = 0; at < text.length(); at += Character.charCount(text.codePointAt(at))) {
            bytes += utf8Width(text.codePointAt(at));
        }
        return bytes;
    }

    private static int utf8Width(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint <= 0xFFFF ? 3 : 4;
    }

    /** The code as this version knows it, or null for a code it does not define. */
    public ErrorCode knownCode() {
        return ErrorCode.ofCode(code);
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }

    @Override
    public String toString() {
        ErrorCode known = knownCode();
        return "ERROR " + code + (known == null ? "" : " " + known) + " id=" + messageId + " text=" + text;
    }
}
