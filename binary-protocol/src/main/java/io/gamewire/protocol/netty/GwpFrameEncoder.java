package io.gamewire.protocol.netty;

import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Encodes {@link Frame}s into GWP bytes (layout in {@link GwpFrameDecoder}). Each frame gets a
 * buffer of exactly its encoded size, written in one pass. A frame over the limits fails its write
 * with a {@link MalformedFrameException} (wrapped in an {@code EncoderException}) and nothing is
 * written.
 *
 * <p>Stateless, so one instance serves every channel: use {@link #INSTANCE} unless the limits
 * differ from {@link GwpLimits#DEFAULTS}.
 */
@Sharable
public final class GwpFrameEncoder extends MessageToByteEncoder<Frame> {

    /** The encoder with {@link GwpLimits#DEFAULTS}. */
    public static final GwpFrameEncoder INSTANCE = new GwpFrameEncoder(GwpLimits.DEFAULTS);

    private final EnvelopeCodec codec;

    public GwpFrameEncoder(GwpLimits limits) {
        super(Frame.class);
        this.codec = new EnvelopeCodec(Objects.requireNonNull(limits, "limits"));
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect)
            throws MalformedFrameException {
        int length = codec.encodedLength(frame);
        return preferDirect ? ctx.alloc().ioBuffer(length, length) : ctx.alloc().heapBuffer(length, length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) throws MalformedFrameException {
        // allocateBuffer sized the buffer to the frame, so its writable bytes are exactly the frame's
        ByteBuffer target = out.nioBuffer(out.writerIndex(), out.writableBytes());
        codec.encode(frame, target);
        out.writerIndex(out.writerIndex() + target.position());
    }
}
