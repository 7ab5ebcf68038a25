package io.gamewire.protocol.netty;

import io.gamewire.protocol.SampleFrames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.AuthFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.PingFrame;
import io.gamewire.protocol.PongFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.EncoderException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(FailOnNettyLeaks.class)
class GwpFrameDecoderTest {

    private static final UUID ID = UUID.fromString("0190b6c2-7f3e-7abc-8def-0123456789ab");
    private static final UUID OTHER = UUID.fromString("0190b6c2-7f3e-7abc-8def-ba9876543210");

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final EmbeddedChannel channel = new EmbeddedChannel(new GwpFrameDecoder(), GwpFrameEncoder.INSTANCE);

    @AfterEach
    void nothingIsLeftInTheChannel() {
        assertFalse(channel.finish(), "a frame or buffer was left unread in the channel");
    }

    private static Envelope richEvent() {
        return SampleFrames.richEvent();
    }

    private static List<Frame> everyFrameType() {
        return SampleFrames.everyFrameType();
    }

    private void writeBytes(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** The frames the decoder emitted so far. */
    private List<Frame> inbound() {
        List<Frame> frames = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            frames.add((Frame) message);
        }
        return frames;
    }

    /** Decodes (and releases) the one buffer written back to the peer, which must be the only one. */
    private Frame onlyOutboundFrame() throws MalformedFrameException {
        ByteBuf written = channel.readOutbound();
        assertThat(written).as("a frame written back").isNotNull();
        try {
            return codec.decode(ByteBuffer.wrap(ByteBufUtil.getBytes(written)));
        } finally {
            written.release();
            assertThat((Object) channel.readOutbound()).as("more than one frame written back").isNull();
        }
    }

    private ErrorFrame refusal() throws MalformedFrameException {
        Frame written = onlyOutboundFrame();
        assertThat(written).isInstanceOf(ErrorFrame.class);
        assertThat(channel.isOpen()).as("channel closed after the ERROR").isFalse();
        ErrorFrame error = (ErrorFrame) written;
        assertThat(error.messageId()).isEqualTo(ErrorFrame.CONNECTION);
        return error;
    }

    @Test
    void everyFrameTypeSurvivesARoundTripThroughEncoderAndDecoder() throws Exception {
        for (Frame frame : everyFrameType()) {
            assertThat(channel.writeOutbound(frame)).isTrue();
            ByteBuf encoded = channel.readOutbound();
            int expectedLength = codec.encodedLength(frame);
            assertThat(encoded.capacity()).as("buffer allocated for " + frame).isEqualTo(expectedLength);
            assertThat(ByteBufUtil.getBytes(encoded)).as(frame.toString()).containsExactly(codec.encode(frame));

            channel.writeInbound(encoded);

            assertThat(inbound()).as(frame.toString()).containsExactly(frame);
        }
    }

    @Test
    void aFrameArrivingOneByteAtATimeIsEmittedWithItsLastByte() throws Exception {
        Envelope event = richEvent();
        byte[] bytes = codec.encode(event);

        for (int i = 0; i < bytes.length - 1; i++) {
            writeBytes(new byte[] {bytes[i]});
            assertThat(inbound()).as("emitted after byte %d of %d", i + 1, bytes.length).isEmpty();
        }
        writeBytes(new byte[] {bytes[bytes.length - 1]});

        assertThat(inbound()).containsExactly(event);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void framesCoalescedInOneBufferAreAllEmittedInOrder() throws Exception {
        List<Frame> frames = everyFrameType();
        ByteBuffer stream = ByteBuffer.allocate(4096);
        for (Frame frame : frames) {
            codec.encode(frame, stream);
        }
        writeBytes(Arrays.copyOf(stream.array(), stream.position()));

        assertThat(inbound()).containsExactlyElementsOf(frames);
    }

    @Test
    void framesStraddlingBufferBoundariesAreReassembled() throws Exception {
        byte[] first = codec.encode(new PingFrame(1));
        byte[] second = codec.encode(richEvent());
        byte[] stream = new byte[first.length + second.length];
        System.arraycopy(first, 0, stream, 0, first.length);
        System.arraycopy(second, 0, stream, first.length, second.length);
        int cut = first.length + 5; // the first frame and part of the second's header

        writeBytes(Arrays.copyOfRange(stream, 0, cut));
        assertThat(inbound()).containsExactly(new PingFrame(1));
        writeBytes(Arrays.copyOfRange(stream, cut, stream.length));
        assertThat(inbound()).containsExactly(richEvent());
    }

    @Test
    void decodedPayloadOutlivesTheChannelsBuffer() throws Exception {
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(codec.encode(richEvent()));
        channel.writeInbound(wire);
        Envelope decoded = (Envelope) inbound().get(0);

        assertThat(wire.refCnt()).as("input buffer released by the decoder").isZero();
        assertThat(new String(decoded.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"kills\":7}");
    }

    @Test
    void aLengthOverTheLimitIsRefusedFromTheHeaderAloneWithoutWaitingForTheBody() throws Exception {
        byte[] header = ByteBuffer.allocate(EnvelopeCodec.HEADER_BYTES).putShort((short) EnvelopeCodec.MAGIC)
                .put((byte) EnvelopeCodec.VERSION).put((byte) FrameType.EVENT.code())
                .putInt(GwpLimits.DEFAULT_MAX_FRAME_BYTES + 1).array();

        writeBytes(header);

        ErrorFrame error = refusal();
        assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE.code()).isEqualTo(4);
        assertThat(error.text()).isEqualTo("frame length 1048577 bytes is over the limit of 1048576"
                + " (gamewire.gwp.max-frame-bytes)");
        assertThat(inbound()).isEmpty();
    }

    @Test
    void theLimitComesFromTheConstructor() throws Exception {
        EmbeddedChannel small = new EmbeddedChannel(new GwpFrameDecoder(new GwpLimits(64, 16, 1024)),
                GwpFrameEncoder.INSTANCE);
        byte[] event = codec.encode(richEvent()); // longer than 64 bytes

        small.writeInbound(Unpooled.wrappedBuffer(event, 0, EnvelopeCodec.HEADER_BYTES));

        ByteBuf written = small.readOutbound();
        ErrorFrame error = (ErrorFrame) codec.decode(ByteBuffer.wrap(ByteBufUtil.getBytes(written)));
        written.release();
        assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE.code());
        assertThat(error.text()).contains("over the limit of 64");
        assertThat(small.isOpen()).isFalse();
        assertFalse(small.finish());
    }

    @ParameterizedTest(name = "{0} -> ERROR {1}")
    @CsvSource({
            "4745,       1", // "GE" of an HTTP GET: refused after 2 bytes
            "475702,     2", // version 2
            "47570109,   3", // frame type 9 is not defined
    })
    void aWrongHeaderIsRefusedAfterItsFirstWrongByte(String prefix, int code) throws Exception {
        writeBytes(ByteBufUtil.decodeHexDump(prefix));

        assertThat(refusal().code()).isEqualTo(code);
        assertThat(inbound()).isEmpty();
    }

    @Test
    void garbageAfterAGoodFrameIsRefusedAfterTheGoodFrameIsEmitted() throws Exception {
        byte[] good = codec.encode(new AckFrame(ID));
        byte[] stream = Arrays.copyOf(good, good.length + 4);
        System.arraycopy("HTTP".getBytes(StandardCharsets.US_ASCII), 0, stream, good.length, 4);

        writeBytes(stream);

        assertThat(inbound()).containsExactly(new AckFrame(ID));
        assertThat(refusal().code()).isEqualTo(ErrorCode.BAD_MAGIC.code());
    }

    @Test
    void everythingAfterARefusalIsDiscarded() throws Exception {
        byte[] good = codec.encode(new AckFrame(ID));
        byte[] stream = new byte[2 + good.length];
        stream[0] = 'X';
        stream[1] = 'X';
        System.arraycopy(good, 0, stream, 2, good.length);

        writeBytes(stream);

        assertThat(refusal().code()).isEqualTo(ErrorCode.BAD_MAGIC.code());
        assertThat(inbound()).as("the good frame after the refusal").isEmpty();
    }

    @Test
    void aMalformedBodyIsRefusedWithTheCodecsCodeAndMessage() throws Exception {
        byte[] event = codec.encode(richEvent());
        event[EnvelopeCodec.HEADER_BYTES] = 0x02; // a reserved flag bit

        writeBytes(event);

        ErrorFrame error = refusal();
        assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_FRAME.code());
        assertThat(error.text()).isEqualTo("EVENT flags 0x02 set reserved bits (only 0x01, correlation id, is defined)");
        assertThat(inbound()).isEmpty();
    }

    @Test
    void aFrameCutShortByTheEndOfTheStreamIsDroppedQuietly() throws Exception {
        byte[] event = codec.encode(richEvent());
        writeBytes(Arrays.copyOf(event, event.length - 1));

        channel.close();

        assertThat(inbound()).isEmpty();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aFrameCutShortByAHalfCloseIsRefusedWithMalformedFrameSayingHowMuchCame() throws Exception {
        byte[] event = codec.encode(richEvent());
        writeBytes(Arrays.copyOf(event, event.length - 3));

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        ErrorFrame error = refusal();
        assertThat(error.knownCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(error.text()).isEqualTo("the stream ended inside a frame: " + (event.length - 3) + " of the frame's "
                + event.length + " bytes came");
        assertThat(inbound()).isEmpty();
    }

    @Test
    void aHeaderCutShortByAHalfCloseIsRefusedToo() throws Exception {
        byte[] event = codec.encode(richEvent());
        writeBytes(event);
        writeBytes(Arrays.copyOf(event, 5));

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(inbound()).as("the whole frame before it").containsExactly(richEvent());
        assertThat(refusal().text()).isEqualTo("the stream ended inside a frame: 5 of a header's 8 bytes came");
    }

    @Test
    void aHalfCloseBetweenFramesRefusesNothing() throws Exception {
        writeBytes(codec.encode(richEvent()));

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(inbound()).containsExactly(richEvent());
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    /**
     * Every single-byte corruption of a valid frame ends in one of three ways, and never in an
     * exception: frames are emitted (the byte was in a free-form field), the stream is refused with
     * an ERROR and closed, or the decoder waits for more bytes (the length field grew).
     */
    @Test
    void everySingleByteCorruptionEndsInAFrameARefusalOrAWaitNeverAnException() throws Exception {
        byte[] valid = codec.encode(richEvent());
        int decoded = 0;
        int refused = 0;
        int waiting = 0;
        for (int position = 0; position < valid.length; position++) {
            for (int flip : new int[] {0x01, 0x80, 0xFF}) {
                byte[] corrupt = valid.clone();
                corrupt[position] ^= (byte) flip;
                String what = String.format("byte %d xor 0x%02x", position, flip);
                EmbeddedChannel corrupted = new EmbeddedChannel(new GwpFrameDecoder(), GwpFrameEncoder.INSTANCE);

                corrupted.writeInbound(Unpooled.wrappedBuffer(corrupt)); // throws if the decoder did

                List<Object> frames = new ArrayList<>(corrupted.inboundMessages());
                corrupted.inboundMessages().clear();
                ByteBuf written = corrupted.readOutbound();
                if (written != null) {
                    Frame answer = codec.decode(ByteBuffer.wrap(ByteBufUtil.getBytes(written)));
                    written.release();
                    assertThat(answer).as(what).isInstanceOf(ErrorFrame.class);
                    assertThat(corrupted.isOpen()).as(what + ": closed after the ERROR").isFalse();
                    refused++;
                } else if (!frames.isEmpty()) {
                    assertThat(frames).as(what).allMatch(Frame.class::isInstance);
                    assertThat(corrupted.isOpen()).as(what).isTrue();
                    decoded++;
                } else {
                    assertThat(corrupted.isOpen()).as(what + ": neither frame nor ERROR, so still waiting").isTrue();
                    waiting++;
                }
                corrupted.close();
                assertThat(corrupted.inboundMessages()).as(what + ": nothing emitted at close").isEmpty();
                assertFalse(corrupted.finish(), what);
            }
        }
        // each outcome happens, so the loop really exercised all three paths
        assertThat(decoded).isPositive();
        assertThat(refused).isPositive();
        assertThat(waiting).isPositive();
    }

    @Test
    void aFrameOverTheEncodersLimitFailsItsWriteAndWritesNothing() {
        EmbeddedChannel small = new EmbeddedChannel(new GwpFrameEncoder(new GwpLimits(64, 16, 1024)));

        assertThatThrownBy(() -> small.writeOutbound(richEvent()))
                .isInstanceOf(EncoderException.class)
                .hasCauseInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("over the limit of 64 (gamewire.gwp.max-frame-bytes)");
        assertThat((Object) small.readOutbound()).isNull();
        assertFalse(small.finish());
    }

    @Test
    void theEncoderIsSharableAndTheDecoderIsNot() {
        assertThat(GwpFrameEncoder.INSTANCE.isSharable()).isTrue();
        assertThat(new GwpFrameDecoder().isSharable()).isFalse();
    }
}
