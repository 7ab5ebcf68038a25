package io.gamewire.ingest.tcp;

import io.gamewire.bus.PublishOrder;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What gamewire knows of one TCP connection: whether it authenticated and as which key (kept as the
 * key's SHA-256 only), the order its events keep on the bus, and how many of its EVENT/REQUEST
 * frames are unanswered.
 */
public final class TcpSession {

    static final AttributeKey<TcpSession> KEY = AttributeKey.valueOf("gamewire.tcp.session");

    private volatile String keySha256;
    private volatile String clientName = "";
    private volatile PublishOrder order = PublishOrder.NONE;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** The authenticated key's SHA-256, or null before AUTH. */
    public String keySha256() {
        return keySha256;
    }

    public String clientName() {
        return clientName;
    }

    boolean authenticated() {
        return keySha256 != null;
    }

    /**
     * The order the connection's events are published in, taken at AUTH: one publisher lane for all
     * of them, so the broker receives them in the order the client sent them.
     */
    public PublishOrder order() {
        return order;
    }

    void authenticate(String keySha256, String clientName, PublishOrder order) {
        this.clientName = clientName;
        this.order = order;
        this.keySha256 = keySha256;
    }

    /** The connection closed: its order no longer counts on its lane. */
    void closed() {
        order.close();
    }

    int inFlight() {
        return inFlight.get();
    }

    int started() {
        return inFlight.incrementAndGet();
    }

    int answered() {
        return inFlight.decrementAndGet();
    }
}
