package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 to gamewire over a bare socket, byte for byte as a slow or odd client sends it. */
final class RawHttpSocket implements AutoCloseable {

    final Socket socket;

    /** A connection to 127.0.0.1:{@code port}; a read that waits 15 s for a byte fails the test. */
    RawHttpSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
    }

    void send(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends {@code text} a byte every {@code pauseMs} on a thread of its own, which ends when the server closes. */
    Thread trickle(String text, long pauseMs) {
        Thread trickle = new Thread(() -> {
            try {
                for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                    socket.getOutputStream().write(b);
                    socket.getOutputStream().flush();
                    Thread.sleep(pauseMs);
                }
            } catch (IOException closed) {
                // the server closed the connection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "http-trickle");
        trickle.setDaemon(true);
        trickle.start();
        return trickle;
    }

    /** Everything the server sends until it closes the connection. */
    String readUntilClosed() throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** One answer, with a Content-Length or a chunked body, leaving the connection open. */
    String readResponse() throws IOException {
        String head = readUntil("\r\n\r\n");
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            return head + readUntil("\r\n0\r\n\r\n"); // up to the last chunk (gamewire sends no trailers)
        }
        int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        return head + new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    }

    private String readUntil(String end) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.UTF_8).endsWith(end)) {
            int b = in.read();
            assertThat(b).as("the connection closed before %s: %s", end.strip(), read).isNotNegative();
            read.write(b);
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
