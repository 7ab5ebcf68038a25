package io.gamewire.protocol.netty;

import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a byte stream into GWP frames and decodes each into a {@link Frame}. Bytes may arrive
 * split anywhere or with many frames in one read; each frame is emitted as soon as its last byte
 * is there. Every frame has this layout (big-endian, see {@code binary-protocol/PROTOCOL.md}):
 *
 * <pre>
 * offset  0       2         3      4                  8
 *         +-------+---------+------+------------------+----------------------+
 *         | magic | version | type | length           | body                 |
 *         | 47 57 | 01      | u8   | u32              | (length bytes)       |
 *         +-------+---------+------+------------------+----------------------+
 * </pre>
 *
 * <p>For example a PING with nonce 42 is 16 bytes on the wire and one {@code PingFrame} after
 * decoding:
 *
 * <pre>
 * BEFORE DECODE (16 bytes)                                        AFTER DECODE
 * +-------+----+----+-------------+-------------------------+
 * | 47 57 | 01 | 07 | 00 00 00 08 | 00 00 00 00 00 00 00 2A |  ----->  PingFrame(nonce=42)
 * +-------+----+----+-------------+-------------------------+
 * </pre>
 *
 * <p>The header is checked as its bytes arrive, before any body byte is awaited or buffered
 * beyond the limit: a peer that is not speaking GWP is refused after 2 bytes, a wrong version
 * after 3, an unknown type after 4, a length over {@link GwpLimits#maxFrameBytes()} after 8:
 *
 * <pre>
 * BEFORE DECODE (2 bytes)               AFTER DECODE
 * +-------+                             ERROR 1 (BAD_MAGIC), message id 00..00, then close
 * | 47 45 |  "GE" of "GET / HTTP/1.1"   ------------------------------------------------>
 * +-------+
 *
 * BEFORE DECODE (8 bytes)                     AFTER DECODE
 * +-------+----+----+-------------+           ERROR 4 (FRAME_TOO_LARGE), then close;
 * | 47 57 | 01 | 02 | 7F FF FF FF |  ----->   the 2 GiB body is never awaited
 * +-------+----+----+-------------+
 * </pre>
 *
 * <p>A whole frame is copied once, out of the channel's buffer into an array, and decoded from
 * there: an {@link io.gamewire.protocol.Envelope}'s payload is a view of that array, so it stays
 * valid after the channel's buffer is reused and is never copied again.
 *
 * <p>Any malformed frame ({@link MalformedFrameException}) makes the decoder write an
 * {@link ErrorFrame} with the exception's code, message id {@link ErrorFrame#CONNECTION} and the
 * exception's message, then close the channel once that write is done. From then on every byte
 * is discarded: no further frame is emitted and no exception travels up the pipeline, so a
 * hostile stream costs one ERROR, one debug log line and a close. The pipeline must hold a
 * {@link GwpFrameEncoder} for the ERROR to be written.
 *
 * <p>Not {@code @Sharable}: it keeps the state of one stream, so each channel needs its own.
 */
public class GwpFrameDecoder extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(GwpFrameDecoder.class);

    /** Where the decoder is in the stream. */
    enum State {
        /** Waiting for the 8 header bytes; whatever part of them is there has been checked. */
        READ_HEADER,
        /** The header was accepted; waiting for the rest of the frame. */
        READ_BODY,
        /** A frame was refused and the channel is closing: every further byte is discarded. */
        BAD_MESSAGE
    }

    private final EnvelopeCodec codec;
    private State state = State.READ_HEADER;
    private int bodyLength;

    /** A decoder with {@link GwpLimits#DEFAULTS}. */
    public GwpFrameDecoder() {
        this(GwpLimits.DEFAULTS);
    }

    public GwpFrameDecoder(GwpLimits limits) {
        this.codec = new EnvelopeCodec(Objects.requireNonNull(limits, "limits"));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case READ_HEADER:
                    if (!readHeader(in)) {
                        return;
                    }
                    state = State.READ_BODY;
                    // fall through: the body may already be there
                case READ_BODY:
                    Frame frame = readFrame(in);
                    if (frame != null) {
                        state = State.READ_HEADER;
                        out.add(frame);
                    }
                    return;
                case BAD_MESSAGE:
                    in.skipBytes(in.readableBytes());
                    return;
                default:
                    throw new IllegalStateException("unknown decoder state " + state);
            }
        } catch (MalformedFrameException e) {
            failOnMalformedFrame(ctx, in, e);
        }
    }

    /**
     * The stream ended (the peer closed, or shut down its sending side with half-closure allowed):
     * whole frames still buffered are emitted, and bytes of a frame that can no longer be completed
     * are refused as {@link io.gamewire.protocol.ErrorCode#MALFORMED_FRAME} with how much of it came,
     * the ERROR written if the channel can still take it, then the channel closed.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (state == State.BAD_MESSAGE || !in.isReadable()) {
            return;
        }
        String missing = state == State.READ_BODY
                ? in.readableBytes() + " of the frame's " + (EnvelopeCodec.HEADER_BYTES + bodyLength) + " bytes came"
                : in.readableBytes() + " of a header's " + EnvelopeCodec.HEADER_BYTES + " bytes came";
        failOnMalformedFrame(ctx, in, new MalformedFrameException(io.gamewire.protocol.ErrorCode.MALFORMED_FRAME,
                "the stream ended inside a frame: " + missing));
    }

    /** Checks the header bytes that are there; true once all 8 are there and valid. */
    private boolean readHeader(ByteBuf in) throws MalformedFrameException {
        int present = Math.min(in.readableBytes(), EnvelopeCodec.HEADER_BYTES);
        int length = codec.checkHeader(in.nioBuffer(in.readerIndex(), present));
        if (length < 0) {
            return false;
        }
        bodyLength = length;
        return true;
    }

    /** The next frame, or null while its last byte has not arrived. */
    private Frame readFrame(ByteBuf in) throws MalformedFrameException {
        int frameLength = EnvelopeCodec.HEADER_BYTES + bodyLength;
        if (in.readableBytes() < frameLength) {
            return null;
        }
        // the one copy: the channel's buffer is reused after this call, the envelope's payload is not
        byte[] bytes = ByteBufUtil.getBytes(in, in.readerIndex(), frameLength);
        in.skipBytes(frameLength);
        return codec.decode(ByteBuffer.wrap(bytes));
    }

    private void failOnMalformedFrame(ChannelHandlerContext ctx, ByteBuf in, MalformedFrameException e) {
        state = State.BAD_MESSAGE;
        in.skipBytes(in.readableBytes());
        LOG.debug("Refusing the stream from {}: {} {}", ctx.channel().remoteAddress(), e.code(), e.getMessage());
        ErrorFrame error = ErrorFrame.truncating(e.code(), ErrorFrame.CONNECTION, e.getMessage());
        // through the whole pipeline, not ctx.write: the encoder may sit after this handler
        ctx.channel().writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
    }
}
