package io.gamewire.ingest;

import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.protocol.Envelope;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

/**
 * The steps every translator's route shares, as Camel processors over an exchange whose body is
 * the client's {@link Envelope}: {@link #admit()}, {@link #publishAndConfirm()} and
 * {@link #requestAndAwaitReply()}. The translator's own first step reads the body and puts the
 * SHA-256 of the client's API key in the exchange property {@link #KEY_SHA256}, itself as the
 * event's source ({@link EventSource}) in {@link #SOURCE}, and the order its events keep on the bus
 * in {@link #ORDER} when it keeps one. Failures are {@link RefusedException}s, which each
 * translator answers in its own terms. (TCP EVENTs take the same shared steps on the connection's
 * event loop, {@link io.gamewire.ingest.tcp.TcpEvents}, not through this exchange form.)
 */
public final class BusSteps {

    /** Exchange property: SHA-256 of the client's API key, absent when it gave none. */
    public static final String KEY_SHA256 = "GamewireKeySha256";

    /** Exchange property: the {@link EventSource} of the translator whose route this is, stamped by admit. */
    public static final String SOURCE = "GamewireSource";

    /**
     * Exchange property: the {@link PublishOrder} the event is published in, so that the broker
     * receives a source's events in the order they came; absent, none is kept.
     */
    public static final String ORDER = "GamewirePublishOrder";

    private final BusGateway gateway;

    public BusSteps(BusGateway gateway) {
        this.gateway = gateway;
    }

    /** Checks the envelope (key, rate, command, schema); the body becomes the envelope stamped as received. */
    public Processor admit() {
        return exchange -> exchange.getMessage().setBody(
                gateway.admit(exchange.getProperty(KEY_SHA256, String.class), source(exchange), body(exchange)));
    }

    /**
     * Publishes the admitted EVENT, in the order of {@link #ORDER} when the translator set one; the
     * route goes on once the broker confirmed it, holding no thread meanwhile.
     */
    public FutureProcessor publishAndConfirm() {
        return new FutureProcessor() {
            @Override
            protected CompletableFuture<?> start(Exchange exchange) throws Exception {
                PublishOrder order = exchange.getProperty(ORDER, PublishOrder.class);
                return gateway.publishAdmitted(body(exchange), order == null ? PublishOrder.NONE : order);
            }
        };
    }

    /** Sends the admitted REQUEST; the body becomes its REPLY envelope. */
    public FutureProcessor requestAndAwaitReply() {
        return new FutureProcessor() {
            @Override
            protected CompletableFuture<?> start(Exchange exchange) throws Exception {
                return gateway.requestAdmitted(body(exchange)).thenAccept(reply -> exchange.getMessage().setBody(reply));
            }
        };
    }

    private static EventSource source(Exchange exchange) {
        EventSource source = exchange.getProperty(SOURCE, EventSource.class);
        if (source == null) {
            throw new IllegalStateException("exchange property " + SOURCE + " is not set: the translator's first step"
                    + " must name its source before admit");
        }
        return source;
    }

    private static Envelope body(Exchange exchange) throws InvalidPayloadException {
        return exchange.getMessage().getMandatoryBody(Envelope.class);
    }
}
