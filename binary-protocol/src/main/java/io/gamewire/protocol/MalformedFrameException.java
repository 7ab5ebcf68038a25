package io.gamewire.protocol;

import java.io.IOException;

/**
 * A frame that cannot be decoded or encoded: the only failure the codec produces. The message
 * names the field, the value and the limit (and the setting that changes a configurable limit);
 * {@link #code()} is the ERROR code to answer with.
 */
public class MalformedFrameException extends IOException {

    private final ErrorCode code;

    public MalformedFrameException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
