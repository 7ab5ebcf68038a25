package io.gamewire.protocol;

/** PING: the peer answers PONG with the same nonce. */
public record PingFrame(long nonce) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.PING;
    }

    @Override
    public String toString() {
        return "PING nonce=" + nonce;
    }
}
