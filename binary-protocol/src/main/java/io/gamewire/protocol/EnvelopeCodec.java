package io.gamewire.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes and decodes GWP v1 frames to and from {@link ByteBuffer}s; the byte layout is specified in
 * {@code binary-protocol/PROTOCOL.md}. All integers are big-endian.
 *
 * <pre>
 * +---------+---------+------+--------------+------------------------+
 * | magic   | version | type | length       | body (length bytes)    |
 * | 'G' 'W' | 0x01    | u8   | u32          | per frame type         |
 * +---------+---------+------+--------------+------------------------+
 *   2 bytes   1 byte    1      4 bytes
 * </pre>
 *
 * <p>Every count and length is checked against {@link GwpLimits} before anything is allocated;
 * every failure is a {@link MalformedFrameException} naming the field, the value and the limit.
 * Decoding never copies the payload: {@link Envelope#payload()} is a read-only view of the input.
 * Instances are immutable and thread-safe.
 *
 * <p>It stays one class (over 500 lines) on purpose: it is the byte layout of PROTOCOL.md in one
 * place, every frame type's encoder beside its decoder and the shared header, field and limit
 * checks, so that a change to the format is one diff against one document; it is also the hot
 * path of every event, profiled as a whole (bench/README.md).
 */
public final class EnvelopeCodec {

    public static final int MAGIC = 0x4757;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 8;
    public static final int MESSAGE_ID_BYTES = 16;

    static final int FLAG_CORRELATION = 0x01;

    private final GwpLimits limits;

    public EnvelopeCodec(GwpLimits limits) {
        this.limits = limits;
    }

    public EnvelopeCodec() {
        this(GwpLimits.DEFAULTS);
    }

    public GwpLimits limits() {
        return limits;
    }

    // ---------------------------------------------------------------------------------- header

    /**
     * Checks as much of a frame header as {@code in} holds from its position on (magic from 2 bytes,
     * version from 3, type from 4, length from 8), without consuming anything, so that a wrong
     * peer is refused after its first bytes.
     *
     * @return the body length when all 8 header bytes are there, else -1
     * @throws MalformedFrameException on a wrong magic, version or type, or a length over the limit
     */
    public int checkHeader(ByteBuffer in) throws MalformedFrameException {
        int at = in.position();
        int available = in.remaining();
        if (available >= 2) {
            int magic = in.getShort(at) & 0xFFFF;
            if (magic != MAGIC) {
                throw new MalformedFrameException(ErrorCode.BAD_MAGIC, String.format(
                        "frame starts with 0x%04x, not the GWP magic 0x4757 ('GW'): not a GWP client", magic));
            }
        }
        if (available >= 3) {
            int version = in.get(at + 2) & 0xFF;
            if (version != VERSION) {
                throw new MalformedFrameException(ErrorCode.UNSUPPORTED_VERSION,
                        "protocol version " + version + " is not supported; this peer speaks version " + VERSION);
            }
        }
        if (available >= 4) {
            int type = in.get(at + 3) & 0xFF;
            if (FrameType.ofCode(type) == null) {
                throw new MalformedFrameException(ErrorCode.UNKNOWN_FRAME_TYPE, String.format(
                        "frame type 0x%02x is not defined in GWP version %d", type, VERSION));
            }
        }
        if (available < HEADER_BYTES) {
            return -1;
        }
        long length = in.getInt(at + 4) & 0xFFFFFFFFL;
        if (length > limits.maxFrameBytes()) {
            throw new MalformedFrameException(ErrorCode.FRAME_TOO_LARGE, "frame length " + length
                    + " bytes is over the limit of " + limits.maxFrameBytes() + " (" + GwpLimits.MAX_FRAME_BYTES_PROPERTY + ")");
        }
        return (int) length;
    }

    // ---------------------------------------------------------------------------------- decode

    /**
     * Decodes the frame at {@code in}'s position and moves the position past it.
     *
     * @throws MalformedFrameException when the bytes are not one valid frame, including when
     *                                 {@code in} ends before the frame does
     */
    public Frame decode(ByteBuffer in) throws MalformedFrameException {
        int bodyLength = checkHeader(in);
        if (bodyLength < 0) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME,
                    "frame header is truncated: " + in.remaining() + " of " + HEADER_BYTES + " bytes");
        }
        if (in.remaining() - HEADER_BYTES < bodyLength) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, "frame is truncated: length field says "
                    + bodyLength + " bytes, " + (in.remaining() - HEADER_BYTES) + " follow");
        }
        FrameType type = FrameType.ofCode(in.get(in.position() + 3) & 0xFF);
        int bodyStart = in.position() + HEADER_BYTES;
        ByteBuffer body = in.slice(bodyStart, bodyLength);
        in.position(bodyStart + bodyLength);
        try {
            Frame frame = switch (type) {
                case AUTH -> decodeAuth(body);
                case EVENT, REQUEST, REPLY -> decodeEnvelope(type, body);
                case ACK -> new AckFrame(readId(body));
                case ERROR -> decodeError(body);
                case PING -> new PingFrame(body.getLong());
                case PONG -> new PongFrame(body.getLong());
            };
            if (body.hasRemaining()) {
                throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, type + " frame has " + body.remaining()
                        + " byte(s) after its last field (length field says " + bodyLength + ")");
            }
            return frame;
        } catch (BufferUnderflowException e) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, type + " frame body of " + bodyLength
                    + " bytes ends inside a field");
        }
    }

    private Frame decodeAuth(ByteBuffer body) throws MalformedFrameException {
        UUID id = readId(body);
        int keyLength = body.getShort() & 0xFFFF;
        checkLength("AUTH api key", keyLength, 1, GwpLimits.MAX_API_KEY_BYTES, null);
        String key = readUtf8(body, keyLength, "AUTH api key");
        int nameLength = body.get() & 0xFF;
        checkLength("AUTH client name", nameLength, 0, GwpLimits.MAX_CLIENT_NAME_BYTES, null);
        return new AuthFrame(id, key, readUtf8(body, nameLength, "AUTH client name"));
    }

    private Frame decodeError(ByteBuffer body) throws MalformedFrameException {
        int code = body.getShort() & 0xFFFF;
        UUID id = readId(body);
        int textLength = body.getShort() & 0xFFFF;
        checkLength("ERROR text", textLength, 0, GwpLimits.MAX_ERROR_TEXT_BYTES, null);
        return new ErrorFrame(code, id, readUtf8(body, textLength, "ERROR text"));
    }

    private Envelope decodeEnvelope(FrameType type, ByteBuffer body) throws MalformedFrameException {
        int flags = body.get() & 0xFF;
        if ((flags & ~FLAG_CORRELATION) != 0) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, String.format(
                    "%s flags 0x%02x set reserved bits (only 0x01, correlation id, is defined)", type, flags));
        }
        UUID id = readId(body);
        if (id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0) {
            // an ERROR's zero id means "the connection": a message with it could not be told apart
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, type + " message id is all zero bytes,"
                    + " which ERROR frames use for the connection; give every message an id of its own");
        }
        UUID correlation = (flags & FLAG_CORRELATION) != 0 ? readId(body) : null;
        if (type == FrameType.REPLY && correlation == null) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME,
                    "REPLY " + id + " has no correlation id (flag 0x01 must be set)");
        }
        long timestamp = body.getLong();
        String contentType = readContentType(body);
        int keyLength = body.get() & 0xFF;
        checkLength("routing key", keyLength, 1, RoutingKey.MAX_LENGTH, null);
        String routingKey = readAscii(body, keyLength, "routing key");
        Map<String, String> attributes = readAttributes(body);
        ByteBuffer payload = body.slice().asReadOnlyBuffer();
        body.position(body.limit());
        return new Envelope(type, id, correlation, timestamp, contentType, routingKey, attributes, payload);
    }

    private String readContentType(ByteBuffer body) throws MalformedFrameException {
        int code = body.get() & 0xFF;
        if (code != ContentTypes.CUSTOM) {
            String known = ContentTypes.ofCode(code);
            if (known == null) {
                throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, "content type code " + code
                        + " is not defined (0 custom, 1.." + ContentTypes.maxCode() + " predefined)");
            }
            return known;
        }
        int length = body.get() & 0xFF;
        checkLength("custom content type", length, 1, GwpLimits.MAX_CONTENT_TYPE_BYTES, null);
        return readAscii(body, length, "custom content type");
    }

    private Map<String, String> readAttributes(ByteBuffer body) throws MalformedFrameException {
        int count = body.get() & 0xFF;
        if (count > limits.maxAttributes()) {
            throw new MalformedFrameException(ErrorCode.LIMIT_EXCEEDED, count + " attributes, the limit is "
                    + limits.maxAttributes() + " (" + GwpLimits.MAX_ATTRIBUTES_PROPERTY + ")");
        }
        if (count == 0) {
            return Map.of();
        }
        Map<String, String> attributes = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            int nameLength = body.get() & 0xFF;
            checkLength("attribute name", nameLength, 1, GwpLimits.MAX_ATTRIBUTE_NAME_BYTES, null);
            String name = readUtf8(body, nameLength, "attribute name");
            int valueLength = body.getShort() & 0xFFFF;
            if (valueLength > limits.maxAttributeValueBytes()) {
                throw new MalformedFrameException(ErrorCode.LIMIT_EXCEEDED, "attribute '" + name + "' value is "
                        + valueLength + " bytes, the limit is " + limits.maxAttributeValueBytes() + " ("
                        + GwpLimits.MAX_ATTRIBUTE_VALUE_BYTES_PROPERTY + ")");
            }
            String value = readUtf8(body, valueLength, null, name);
            if (attributes.put(name, value) != null) {
                throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, "attribute '" + name + "' appears twice");
            }
        }
        return Collections.unmodifiableMap(attributes);
    }

    private static UUID readId(ByteBuffer body) {
        return new UUID(body.getLong(), body.getLong());
    }

    private static void checkLength(String field, int length, int min, int max, String property)
            throws MalformedFrameException {
        if (length < min || length > max) {
            throw new MalformedFrameException(length > max ? ErrorCode.LIMIT_EXCEEDED : ErrorCode.MALFORMED_FRAME,
                    field + " is " + length + " bytes, it must be " + min + " to " + max
                            + (property == null ? " (fixed by the protocol)" : " (" + property + ")"));
        }
    }

    private static String readAscii(ByteBuffer body, int length, String field) throws MalformedFrameException {
        if (body.remaining() < length) {
            throw new BufferUnderflowException();
        }
        int at = body.position();
        for (int i = 0; i < length; i++) {
            int b = body.get(at + i);
            if (b < 0x20 || b > 0x7E) {
                throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, String.format(
                        "%s has byte 0x%02x at position %d; only printable ASCII is allowed", field, b & 0xFF, i + 1));
            }
        }
        String text;
        if (body.hasArray()) {
            text = new String(body.array(), body.arrayOffset() + at, length, StandardCharsets.ISO_8859_1);
        } else {
            byte[] bytes = new byte[length];
            body.get(at, bytes);
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        body.position(at + length);
        return text;
    }

    private static String readUtf8(ByteBuffer body, int length, String field) throws MalformedFrameException {
        return readUtf8(body, length, field, null);
    }

    /**
     * A UTF-8 field; {@code attribute} names the attribute whose value it is (the error text is only
     * built when there is an error, not for every attribute).
     */
    private static String readUtf8(ByteBuffer body, int length, String field, String attribute)
            throws MalformedFrameException {
        if (body.remaining() < length) {
            throw new BufferUnderflowException();
        }
        if (length == 0) {
            return "";
        }
        int at = body.position();
        body.position(at + length);
        // Most attribute names and values are ASCII: those become a String without a decoder.
        if (body.hasArray() && isAscii(body.array(), body.arrayOffset() + at, length)) {
            return new String(body.array(), body.arrayOffset() + at, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(body.slice(at, length)).toString();
        } catch (CharacterCodingException e) {
            String what = attribute == null ? field : "attribute '" + attribute + "' value";
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, what + " is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------- encode

    /**
     * The encoded size of {@code frame}, header included; checks every field against the limits.
     *
     * @throws MalformedFrameException when a field is over its limit or not encodable
     */
    public int encodedLength(Frame frame) throws MalformedFrameException {
        return HEADER_BYTES + bodyLength(frame);
    }

    /** Encodes {@code frame} into a new array. */
    public byte[] encode(Frame frame) throws MalformedFrameException {
        byte[] bytes = new byte[encodedLength(frame)];
        encode(frame, ByteBuffer.wrap(bytes));
        return bytes;
    }

    /**
     * Writes {@code frame} at {@code out}'s position and moves the position past it.
     *
     * @throws MalformedFrameException when a field is over its limit, or {@code out} has too little room
     */
    public void encode(Frame frame, ByteBuffer out) throws MalformedFrameException {
        int bodyLength = bodyLength(frame);
        if (out.remaining() < HEADER_BYTES + bodyLength) {
            throw new MalformedFrameException(ErrorCode.FRAME_TOO_LARGE, frame.type() + " frame needs "
                    + (HEADER_BYTES + bodyLength) + " bytes, the buffer has " + out.remaining());
        }
        out.putShort((short) MAGIC).put((byte) VERSION).put((byte) frame.type().code()).putInt(bodyLength);
        if (frame instanceof Envelope envelope) {
            encodeEnvelope(envelope, out);
        } else if (frame instanceof AuthFrame auth) {
            putId(out, auth.messageId());
            byte[] key = auth.apiKey().getBytes(StandardCharsets.UTF_8);
            out.putShort((short) key.length).put(key);
            byte[] name = auth.clientName().getBytes(StandardCharsets.UTF_8);
            out.put((byte) name.length).put(name);
        } else if (frame instanceof AckFrame ack) {
            putId(out, ack.messageId());
        } else if (frame instanceof ErrorFrame error) {
            out.putShort((short) error.code());
            putId(out, error.messageId());
            byte[] text = error.text().getBytes(StandardCharsets.UTF_8);
            out.putShort((short) text.length).put(text);
        } else if (frame instanceof PingFrame ping) {
            out.putLong(ping.nonce());
        } else if (frame instanceof PongFrame pong) {
            out.putLong(pong.nonce());
        }
    }

    private static void encodeEnvelope(Envelope envelope, ByteBuffer out) {
        out.put((byte) (envelope.correlationId() != null ? FLAG_CORRELATION : 0));
        putId(out, envelope.messageId());
        if (envelope.correlationId() != null) {
            putId(out, envelope.correlationId());
        }
        out.putLong(envelope.timestamp());
        int code = ContentTypes.codeOf(envelope.contentType());
        out.put((byte) code);
        if (code == ContentTypes.CUSTOM) {
            putAscii(out, envelope.contentType());
        }
        putAscii(out, envelope.routingKey());
        out.put((byte) envelope.attributes().size());
        for (Map.Entry<String, String> attribute : envelope.attributes().entrySet()) {
            String name = attribute.getKey();
            String value = attribute.getValue();
            if (isAscii(name) && isAscii(value)) {
                // the common case: one byte per char, no temporary arrays
                out.put((byte) name.length());
                putChars(out, name);
                out.putShort((short) value.length());
                putChars(out, value);
            } else {
                byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
                out.put((byte) nameBytes.length).put(nameBytes);
                byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
                out.putShort((short) valueBytes.length).put(valueBytes);
            }
        }
        ByteBuffer payload = envelope.payload();
        out.put(out.position(), payload, payload.position(), payload.remaining());
        out.position(out.position() + payload.remaining());
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes a string already checked to be ASCII, one byte per char. Into a heap buffer this is
     * one bulk copy: String's low-byte copy is exactly right for ASCII (and deprecated only because
     * it is wrong for other text).
     */
    @SuppressWarnings("deprecation")
    private static void putChars(ByteBuffer out, String ascii) {
        int length = ascii.length();
        if (out.hasArray()) {
            int at = out.position();
            ascii.getBytes(0, length, out.array(), out.arrayOffset() + at);
            out.position(at + length);
            return;
        }
        for (int i = 0; i < length; i++) {
            out.put((byte) ascii.charAt(i));
        }
    }

    /** Length-prefixed (u8) printable ASCII, already checked by {@link #bodyLength}. */
    private static void putAscii(ByteBuffer out, String text) {
        out.put((byte) text.length());
        putChars(out, text);
    }

    private static void putId(ByteBuffer out, UUID id) {
        out.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }

    private int bodyLength(Frame frame) throws MalformedFrameException {
        long length;
        if (frame instanceof Envelope envelope) {
            length = envelopeBodyLength(envelope);
        } else if (frame instanceof AuthFrame auth) {
            length = MESSAGE_ID_BYTES
                    + 2 + utf8Length(auth.apiKey(), "AUTH api key", 1, GwpLimits.MAX_API_KEY_BYTES)
                    + 1 + utf8Length(auth.clientName(), "AUTH client name", 0, GwpLimits.MAX_CLIENT_NAME_BYTES);
        } else if (frame instanceof ErrorFrame error) {
            length = 2 + MESSAGE_ID_BYTES + 2 + utf8Length(error.text(), "ERROR text", 0, GwpLimits.MAX_ERROR_TEXT_BYTES);
        } else if (frame instanceof AckFrame) {
            length = MESSAGE_ID_BYTES;
        } else {
            length = 8; // PING, PONG: the nonce
        }
        if (length > limits.maxFrameBytes()) {
            throw new MalformedFrameException(ErrorCode.FRAME_TOO_LARGE, frame.type() + " frame would be " + length
                    + " bytes, over the limit of " + limits.maxFrameBytes() + " (" + GwpLimits.MAX_FRAME_BYTES_PROPERTY + ")");
        }
        return (int) length;
    }

    private long envelopeBodyLength(Envelope envelope) throws MalformedFrameException {
        long length = 1 + MESSAGE_ID_BYTES + (envelope.correlationId() != null ? MESSAGE_ID_BYTES : 0) + 8 + 1;
        if (ContentTypes.codeOf(envelope.contentType()) == ContentTypes.CUSTOM) {
            length += 1 + asciiLength(envelope.contentType(), "custom content type", GwpLimits.MAX_CONTENT_TYPE_BYTES);
        }
        length += 1 + asciiLength(envelope.routingKey(), "routing key", RoutingKey.MAX_LENGTH);
        int count = envelope.attributes().size();
        if (count > limits.maxAttributes()) {
            throw new MalformedFrameException(ErrorCode.LIMIT_EXCEEDED, count + " attributes, the limit is "
                    + limits.maxAttributes() + " (" + GwpLimits.MAX_ATTRIBUTES_PROPERTY + ")");
        }
        length += 1;
        for (Map.Entry<String, String> attribute : envelope.attributes().entrySet()) {
            length += 1 + utf8Length(attribute.getKey(), "attribute name", 1, GwpLimits.MAX_ATTRIBUTE_NAME_BYTES);
            int value = utf8Length(attribute.getValue(), null, attribute.getKey(), 0, 65535);
            if (value > limits.maxAttributeValueBytes()) {
                throw new MalformedFrameException(ErrorCode.LIMIT_EXCEEDED, "attribute '" + attribute.getKey()
                        + "' value is " + value + " bytes, the limit is " + limits.maxAttributeValueBytes() + " ("
                        + GwpLimits.MAX_ATTRIBUTE_VALUE_BYTES_PROPERTY + ")");
            }
            length += 2 + value;
        }
        return length + envelope.payload().remaining();
    }

    private static int asciiLength(String text, String field, int max) throws MalformedFrameException {
        checkLength(field, text.length(), 1, max, null);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, String.format(
                        "%s has character U+%04X at position %d; only printable ASCII is allowed", field, (int) c, i + 1));
            }
        }
        return text.length();
    }

    private static int utf8Length(String text, String field, int min, int max) throws MalformedFrameException {
        return utf8Length(text, field, null, min, max);
    }

    /**
     * The UTF-8 length of {@code text}, counted without encoding it; refuses unpaired surrogates.
     * {@code attribute} names the attribute whose value it is, so the field text is built only on error.
     */
    private static int utf8Length(String text, String field, String attribute, int min, int max)
            throws MalformedFrameException {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, String.format(
                        "%s has an unpaired surrogate U+%04X at position %d: not encodable as UTF-8",
                        attribute == null ? field : "attribute '" + attribute + "' value", (int) c, i + 1));
            } else {
                length += 3;
            }
        }
        if (length < min || length > max) {
            checkLength(attribute == null ? field : "attribute '" + attribute + "' value", length, min, max, null);
        }
        return length;
    }
}
