package io.gamewire.pulls;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A body checked to be UTF-8 as it is read, failing with a {@link BodyRefusedException} that names
 * the byte offset of the first bad sequence. Jackson alone is not enough: it refuses a stray byte
 * such as ISO-8859-1's {@code é} (0xE9), but it takes an overlong form ({@code C0 AF} becomes
 * {@code /}), an encoded surrogate ({@code ED A0 80}) and a sequence beyond U+10FFFF as
 * characters, which would reach the bus as other text, or as {@code ?} once written out. The JDK's
 * own strict decoder judges each byte here; what it decodes is thrown away.
 */
final class Utf8Body extends FilterInputStream {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer decoded = CharBuffer.allocate(8 * 1024);
    /** The bytes not yet judged (a sequence cut by the end of a read), in read mode. */
    private ByteBuffer pending = ByteBuffer.allocate(8 * 1024).flip();
    /** The body's offset of {@code pending}'s first byte. */
    private long pendingStart;
    private boolean ended;
    private final byte[] one = new byte[1];

    Utf8Body(InputStream body) {
        super(body);
    }

    @Override
    public int read() throws IOException {
        int read = read(one, 0, 1);
        return read < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            check(buffer, offset, read, false);
        } else if (read < 0 && !ended) {
            ended = true;
            check(buffer, offset, 0, true);
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes are read, so that none goes unchecked
        byte[] skipped = new byte[(int) Math.min(n, 8 * 1024)];
        int read = read(skipped, 0, skipped.length);
        return Math.max(read, 0);
    }

    private void check(byte[] bytes, int offset, int length, boolean end) throws BodyRefusedException {
        if (pending.remaining() + length > pending.capacity()) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.remaining() + length));
            larger.put(pending);
            pending = larger;
        } else {
            pending.compact();
        }
        pending.put(bytes, offset, length).flip();
        CoderResult result;
        do {
            decoded.clear();
            result = decoder.decode(pending, decoded, end);
        } while (result.isOverflow());
        if (result.isError()) {
            throw refused(result.length(), "is not UTF-8");
        }
        if (end && pending.hasRemaining()) {
            throw refused(pending.remaining(), "ends inside a UTF-8 sequence");
        }
        pendingStart += pending.position();
        pending.compact().flip();
    }

    private BodyRefusedException refused(int length, String problem) {
        byte[] bad = new byte[length];
        pending.get(pending.position(), bad);
        return new BodyRefusedException("the body " + problem + " at byte " + (pendingStart + pending.position())
                + " (0x" + HexFormat.ofDelimiter(" 0x").withUpperCase().formatHex(bad) + "); a publisher's JSON must"
                + " be UTF-8 (RFC 8259)");
    }
}
