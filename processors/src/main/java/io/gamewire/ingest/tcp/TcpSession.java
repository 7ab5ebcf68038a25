package io.gamewire.ingest.tcp;

import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What gamewire knows of one TCP connection: whether it authenticated and as which key (kept as the
 * key's SHA-256 only), and how many of its EVENT/REQUEST frames are unanswered.
 */
public final class TcpSession {

    static final AttributeKey<TcpSession> KEY = AttributeKey.valueOf("gamewire.tcp.session");

    private volatile String keySha256;
    private volatile String clientName = "";
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

    void authenticate(String keySha256, String clientName) {
        this.clientName = clientName;
        this.keySha256 = keySha256;
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
