package io.gamewire.bench.load;

import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.client.GwpErrorException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Short names of what went wrong, the keys of the error counts in the report. */
final class FailureKinds {

    /** GamewireClient fails what is unanswered with an IllegalStateException when it closes. */
    static final String CLIENT_CLOSED = "client closed";

    private FailureKinds() {
    }

    static String of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof GwpErrorException error) {
            ErrorCode known = error.knownCode();
            return "ERROR " + (known == null ? Integer.toString(error.code()) : known.name());
        }
        if (cause instanceof IllegalStateException) {
            return CLIENT_CLOSED;
        }
        return cause.getClass().getSimpleName();
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
