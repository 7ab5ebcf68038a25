package io.gamewire.pulls;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body that fails with a {@link BodyRefusedException} once more than {@code maxBytes} bytes were
 * read from it, instead of ending quietly there as a limiting stream (Guava's, commons-io's) does:
 * a document cut at the limit would parse as malformed, or worse, as a shorter document. Nothing
 * past the limit is read, so the limit bounds the memory of whoever holds what was read.
 */
final class BoundedBody extends FilterInputStream {

    private final long maxBytes;
    private final String what;
    private long count;

    /**
     * @param what names the limit in the message, e.g. "the most one JSON document may have (limits.max-document-bytes)"
     */
    BoundedBody(InputStream body, long maxBytes, String what) {
        super(body);
        this.maxBytes = maxBytes;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int value = super.read();
        if (value >= 0) {
            counted(1);
        }
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // one byte past the limit is enough to know it is exceeded
        long allowed = maxBytes + 1 - count;
        int read = super.read(buffer, offset, (int) Math.min(length, Math.max(allowed, 1)));
        if (read > 0) {
            counted(read);
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, maxBytes + 1 - count));
        counted(skipped);
        return skipped;
    }

    private void counted(long bytes) throws BodyRefusedException {
        count += bytes;
        if (count > maxBytes) {
            throw new BodyRefusedException("the body is longer than " + maxBytes + " bytes, " + what);
        }
    }
}
