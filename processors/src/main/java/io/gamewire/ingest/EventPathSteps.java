package io.gamewire.ingest;

import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.protocol.Envelope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;

/**
 * What the event paths that run without a Camel exchange ({@code TcpEvents}, {@code HttpEvents})
 * call of {@link BusGateway}, as functions so that their tests can stand in for the broker, and
 * the timer each keeps per kind of answer in place of a route's metrics.
 */
public final class EventPathSteps {

    private EventPathSteps() {
    }

    /** The step {@code admit} ({@link BusGateway#admit}): a checked, stamped envelope, or a {@link RefusedException}. */
    @FunctionalInterface
    public interface Admit {
        Envelope admit(String keySha256, EventSource source, Envelope event);
    }

    /** The step {@code publishAndConfirm} ({@link BusGateway#publishAdmitted}): completes on the broker's confirm. */
    @FunctionalInterface
    public interface Publish {
        CompletableFuture<Void> publish(Envelope admitted, PublishOrder order);
    }

    /** The timer {@code meter} of the events answered {@code answer}, and how long each took. */
    public static Timer answerTimer(MeterRegistry meters, String meter, String answer, String description) {
        return Timer.builder(meter).tag("answer", answer).description(description).register(meters);
    }
}
