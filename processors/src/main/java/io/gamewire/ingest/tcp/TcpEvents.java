package io.gamewire.ingest.tcp;

import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.ingest.BusGateway;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.Frame;
import java.util.concurrent.CompletableFuture;

/**
 * The EVENT path of a GWP connection: the same steps as the route's ({@code admit}, then
 * {@code publishAndConfirm} in the connection's order, then ACK, or an ERROR for any failure), run
 * on the connection's own event loop instead of as a Camel exchange per frame.
 *
 * <p>Why EVENTs leave the route {@code tcp-ingest}: a profile of TCP ingest (bench/README.md, "TCP
 * EVENTs without a Camel exchange") found a third of gamewire's CPU per event in the exchange's
 * own machinery: creating it, its properties, the route policy's timers, the after-tasks that
 * resume it on the broker's confirm thread, and the netty consumer writing its body back. The
 * steps themselves are the shared ones ({@link BusGateway#admit}, {@link BusGateway#publishAdmitted}),
 * so a TCP event is checked, stamped, counted and refused exactly as an HTTP event is; only the
 * hand-over between them is plain code. REQUESTs still go through the route.
 */
public final class TcpEvents {

    /** The step {@code admit}: a checked, stamped envelope, or a {@link io.gamewire.ingest.RefusedException}. */
    @FunctionalInterface
    interface Admit {
        Envelope admit(String keySha256, EventSource source, Envelope event);
    }

    /** The step {@code publishAndConfirm}: completes on the broker's confirm. */
    @FunctionalInterface
    interface Publish {
        CompletableFuture<Void> publish(Envelope admitted, PublishOrder order);
    }

    private final Admit admit;
    private final Publish publish;

    public TcpEvents(BusGateway gateway) {
        this(gateway::admit, gateway::publishAdmitted);
    }

    TcpEvents(Admit admit, Publish publish) {
        this.admit = admit;
        this.publish = publish;
    }

    /**
     * Admits and publishes one EVENT of an authenticated connection in the connection's order.
     *
     * @return completes with the frame that answers it: ACK once the broker confirmed it, else the
     *         ERROR naming why (a refusal's own code, anything else {@code INTERNAL_ERROR}); never
     *         completes exceptionally
     */
    public CompletableFuture<Frame> answer(TcpSession session, Envelope event) {
        try {
            Envelope admitted = admit.admit(session.keySha256(), EventSource.TCP, event);
            return publish.publish(admitted, session.order()).handle((confirmed, failure) ->
                    failure == null ? new AckFrame(event.messageId()) : TcpSteps.errorFrame(failure, event));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(TcpSteps.errorFrame(e, event));
        }
    }
}
