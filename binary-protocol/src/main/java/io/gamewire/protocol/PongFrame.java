package io.gamewire.protocol;

/** PONG: the answer to a PING, echoing its nonce. */
public record PongFrame(long nonce) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.PONG;
    }

    @Override
    public String toString() {
        return "PONG nonce=" + nonce;
    }
}
