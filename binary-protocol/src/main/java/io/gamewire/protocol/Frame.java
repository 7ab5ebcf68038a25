package io.gamewire.protocol;

/** One GWP frame. The layouts are in {@code binary-protocol/PROTOCOL.md}. */
public sealed interface Frame permits AuthFrame, Envelope, AckFrame, ErrorFrame, PingFrame, PongFrame {

    FrameType type();
}
