package io.gamewire.protocol.client;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.Frame;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * An EVENT or REQUEST that was handed to the client and not answered yet, with the future its
 * sender holds. The frame is kept whole so that it can be written again after a reconnect.
 *
 * @param <A> the answer it waits for: an ACK for an EVENT, a REPLY envelope for a REQUEST
 */
final class InFlight<A extends Frame> {

    private final Envelope frame;
    private final Class<A> answerType;
    private final CompletableFuture<A> future = new CompletableFuture<>();

    InFlight(Envelope frame, Class<A> answerType) {
        this.frame = frame;
        this.answerType = answerType;
    }

    UUID id() {
        return frame.messageId();
    }

    Envelope frame() {
        return frame;
    }

    CompletableFuture<A> future() {
        return future;
    }

    /** Completes the future with {@code answer} if it is the kind of answer this frame waits for. */
    boolean answer(Frame answer) {
        return answerType.isInstance(answer) && future.complete(answerType.cast(answer));
    }

    void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }
}
