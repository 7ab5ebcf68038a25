package io.gamewire.pulls;

import java.io.IOException;

/**
 * A publisher's body that gamewire stops reading: longer than {@code limits.max-document-bytes}
 * ({@link BoundedBody}) or not UTF-8 ({@link Utf8Body}). An {@link IOException} because it is thrown
 * from inside the stream while Jackson or the NDJSON reader reads it; its message is complete (the
 * byte offset, the limit and its setting), so readers pass it on as it is instead of adding the
 * parser's position, which runs ahead of the stream by a buffer.
 */
final class BodyRefusedException extends IOException {

    BodyRefusedException(String message) {
        super(message);
    }
}
