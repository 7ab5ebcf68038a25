package io.gamewire.it;

import io.gamewire.protocol.AuthFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * A raw socket speaking GWP byte by byte, for what a well-behaved client (GamewireClient) never
 * does: wrong first frames, garbage, trickled bytes, unread answers.
 */
final class GwpSocket implements AutoCloseable {

    private static final EnvelopeCodec CODEC = new EnvelopeCodec();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    GwpSocket(int port) throws IOException {
        this(port, 0);
    }

    /** With a receive buffer of {@code receiveBufferBytes} (0: the system's), set before connecting. */
    GwpSocket(int port, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static Envelope event(String routingKey, String json) {
        return Envelope.event(MessageIds.next(), System.currentTimeMillis(), "application/json", routingKey,
                json.getBytes(StandardCharsets.UTF_8));
    }

    static Envelope request(String routingKey, String json) {
        return new Envelope(FrameType.REQUEST, MessageIds.next(), null, System.currentTimeMillis(),
                "application/json", routingKey, Map.of(), ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] encode(Frame frame) {
        try {
            return CODEC.encode(frame);
        } catch (io.gamewire.protocol.MalformedFrameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Sends AUTH and returns its answer. */
    Frame auth(String key) throws IOException {
        UUID id = MessageIds.next();
        send(new AuthFrame(id, key, "it/1"));
        return read();
    }

    void send(Frame frame) throws IOException {
        write(encode(frame));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the server. */
    Frame read() throws IOException {
        byte[] header = new byte[EnvelopeCodec.HEADER_BYTES];
        in.readFully(header);
        int length = ByteBuffer.wrap(header).getInt(4);
        byte[] frame = new byte[EnvelopeCodec.HEADER_BYTES + length];
        System.arraycopy(header, 0, frame, 0, header.length);
        in.readFully(frame, header.length, length);
        try {
            return CODEC.decode(ByteBuffer.wrap(frame));
        } catch (io.gamewire.protocol.MalformedFrameException e) {
            throw new IOException("the server sent a bad frame: " + e.getMessage(), e);
        }
    }

    /** The next frame, which must be an ERROR. */
    ErrorFrame readError() throws IOException {
        Frame frame = read();
        if (frame instanceof ErrorFrame error) {
            return error;
        }
        throw new AssertionError("expected an ERROR, got " + frame);
    }

    /** True when the server closed the connection (end of stream or reset) within the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
