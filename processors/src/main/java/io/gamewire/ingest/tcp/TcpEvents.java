package io.gamewire.ingest.tcp;

import io.gamewire.bus.EventSource;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.EventPathSteps;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.Frame;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The EVENT path of a GWP connection: the same steps as the route's ({@code admit}, then
 * {@code publishAndConfirm} in the connection's order, then ACK, or an ERROR for any failure), run
 * on the connection's own event loop instead of as a Camel exchange per frame.
 *
 * <p>Why EVENTs leave the route {@code tcp-ingest}: a profile of TCP ingest (bench/README.md,
 * "TCP EVENTs without a Camel exchange") found a third to nearly half of gamewire's CPU per event
 * in the exchange's own machinery: creating it, its properties, the route policy's timers, the after-tasks that
 * resume it on the broker's confirm thread, and the netty consumer writing its body back. The
 * steps themselves are the shared ones ({@link BusGateway#admit}, {@link BusGateway#publishAdmitted}),
 * so a TCP event is checked, stamped, counted and refused exactly as an HTTP event is; only the
 * hand-over between them is plain code. REQUESTs still go through the route.
 *
 * <p>What the route's metrics gave for EVENTs, the meter {@code gamewire.tcp.events} gives: a
 * timer per answer ({@code answer=ack} or {@code error}) of the time from reading the frame to its
 * answer, so its count is the EVENTs answered.
 */
public final class TcpEvents {

    /** The meter of EVENTs answered and how long each took. */
    public static final String METER = "gamewire.tcp.events";

    private final EventPathSteps.Admit admit;
    private final EventPathSteps.Publish publish;
    private final Timer acked;
    private final Timer errors;

    public TcpEvents(BusGateway gateway, MeterRegistry meters) {
        this(gateway::admit, gateway::publishAdmitted, meters);
    }

    TcpEvents(EventPathSteps.Admit admit, EventPathSteps.Publish publish, MeterRegistry meters) {
        this.admit = admit;
        this.publish = publish;
        this.acked = EventPathSteps.answerTimer(meters, METER, "ack",
                "TCP EVENT frames answered ACK (the broker confirmed them), and the time"
                + " from reading each to its answer");
        this.errors = EventPathSteps.answerTimer(meters, METER, "error",
                "TCP EVENT frames answered ERROR (refused, or not confirmed by the"
                + " broker), and the time from reading each to its answer");
    }

    /**
     * Admits and publishes one EVENT of an authenticated connection in the connection's order.
     *
     * @return completes with the frame that answers it: ACK once the broker confirmed it, else the
     *         ERROR naming why (a refusal's own code, anything else {@code INTERNAL_ERROR}); never
     *         completes exceptionally
     */
    public CompletableFuture<Frame> answer(TcpSession session, Envelope event) {
        long read = System.nanoTime();
        try {
            Envelope admitted = admit.admit(session.keySha256(), EventSource.TCP, event);
            return publish.publish(admitted, session.order()).handle((confirmed, failure) -> timed(read,
                    failure == null ? new AckFrame(event.messageId()) : TcpSteps.errorFrame(failure, event)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(timed(read, TcpSteps.errorFrame(e, event)));
        }
    }

    private Frame timed(long read, Frame answer) {
        (answer instanceof AckFrame ? acked : errors).record(System.nanoTime() - read, TimeUnit.NANOSECONDS);
        return answer;
    }
}
