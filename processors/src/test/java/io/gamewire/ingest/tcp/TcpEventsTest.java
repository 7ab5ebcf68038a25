package io.gamewire.ingest.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.bus.PublishOrders;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.MessageIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The EVENT path of a connection: which steps run with what, and the answer each outcome gets. */
class TcpEventsTest {

    private final PublishOrder order = PublishOrders.onLane(2, () -> { });
    private final TcpSession session = new TcpSession();
    private final List<String> steps = new ArrayList<>();
    private final CompletableFuture<Void> confirm = new CompletableFuture<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    TcpEventsTest() {
        session.authenticate("key-sha", "test/1", order);
    }

    private static Envelope event() {
        return Envelope.event(MessageIds.next(), 1L, "application/json", "halo.prod.stats.end", new byte[] {'{', '}'});
    }

    /** Admits by stamping nothing, records each step and what it was given. */
    private TcpEvents events() {
        return new TcpEvents((key, source, event) -> {
            steps.add("admit " + key + " " + source);
            return event;
        }, (admitted, publishOrder) -> {
            steps.add("publish " + admitted.messageId() + (publishOrder == order ? " in the connection's order" : ""));
            return confirm;
        }, meters);
    }

    private long answered(String answer) {
        return meters.get(TcpEvents.METER).tag("answer", answer).timer().count();
    }

    @Test
    void anAdmittedEventIsPublishedInTheConnectionsOrderAndAckedOnItsConfirm() {
        Envelope event = event();

        CompletableFuture<Frame> answer = events().answer(session, event);

        assertThat(steps).containsExactly("admit key-sha " + EventSource.TCP,
                "publish " + event.messageId() + " in the connection's order");
        assertThat(answer).isNotDone();
        assertThat(answered("ack")).as("counted when answered").isZero();
        confirm.complete(null);
        assertThat(answer).isCompletedWithValue(new AckFrame(event.messageId()));
        assertThat(answered("ack")).isEqualTo(1);
        assertThat(answered("error")).isZero();
    }

    @Test
    void aRefusedEventIsAnsweredWithTheRefusalsCodeAndNotPublished() {
        Envelope event = event();
        TcpEvents refusing = new TcpEvents((key, source, e) -> {
            throw new RefusedException(Refusal.UNKNOWN_SERVICE, "halo.prod.nowhere is not a service of halo");
        }, (admitted, publishOrder) -> {
            throw new AssertionError("a refused event is not published");
        }, meters);

        Frame answer = refusing.answer(session, event).join();

        assertThat(answer).isEqualTo(ErrorFrame.truncating(Refusal.UNKNOWN_SERVICE.errorCode(), event.messageId(),
                "halo.prod.nowhere is not a service of halo"));
        assertThat(answered("error")).isEqualTo(1);
        assertThat(answered("ack")).isZero();
    }

    @Test
    void anEventTheBrokerDidNotConfirmIsAnsweredPublishFailed() {
        Envelope event = event();
        CompletableFuture<Frame> answer = events().answer(session, event);

        confirm.completeExceptionally(new RefusedException(Refusal.PUBLISH_FAILED, "no confirm within 20 ms"));

        assertThat(answer.join()).isInstanceOfSatisfying(ErrorFrame.class, error -> {
            assertThat(error.knownCode()).isEqualTo(ErrorCode.PUBLISH_FAILED);
            assertThat(error.messageId()).isEqualTo(event.messageId());
            assertThat(error.text()).contains("no confirm within 20 ms");
        });
    }

    @Test
    void anUnexpectedFailureIsAnsweredInternalErrorNeverThrown() {
        Envelope event = event();
        TcpEvents failing = new TcpEvents((key, source, e) -> {
            throw new IllegalStateException("a bug");
        }, (admitted, publishOrder) -> confirm, meters);

        Frame answer = failing.answer(session, event).join();

        assertThat(answer).isInstanceOfSatisfying(ErrorFrame.class, error -> {
            assertThat(error.knownCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(error.messageId()).isEqualTo(event.messageId());
        });
    }
}
