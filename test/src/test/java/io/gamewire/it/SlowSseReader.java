package io.gamewire.it;

import io.gamewire.cli.SseParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A tail client that does not read until told to: a plain socket with a small receive buffer, so
 * that the server's writes back up quickly, as behind a slow network or terminal.
 */
final class SlowSseReader implements AutoCloseable {

    /** What was read: message events, dropped notices and the last totalDropped they gave. */
    record Totals(long messages, long droppedNotices, long totalDropped) {
    }

    private final Socket socket;

    SlowSseReader(int port, String path, String token) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream request = socket.getOutputStream();
        request.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        request.flush();
    }

    /** Reads the response (chunk sizes and all: only whole SSE lines are looked at) until {@code done} holds. */
    Totals readUntil(Predicate<Totals> done, Duration within) throws IOException {
        long[] counts = new long[3];
        SseParser parser = new SseParser(event -> {
            if (event.event().equals("message")) {
                counts[0]++;
            } else if (event.event().equals("dropped")) {
                counts[1]++;
                counts[2] = Long.parseLong(event.data().replaceAll(".*\"totalDropped\":(\\d+).*", "$1"));
            }
        }, comment -> { });
        long deadline = System.nanoTime() + within.toNanos();
        socket.setSoTimeout(1000);
        BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        while (System.nanoTime() < deadline) {
            Totals totals = new Totals(counts[0], counts[1], counts[2]);
            if (done.test(totals)) {
                return totals;
            }
            String line;
            try {
                line = lines.readLine();
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (line == null) {
                break;
            }
            // chunked transfer encoding puts chunk sizes on lines of their own, and a chunk may end
            // mid-line; the SSE lines gamewire writes end their chunks, so whole lines come through
            if (line.startsWith("event:") || line.startsWith("data:") || line.startsWith("id:") || line.isEmpty()
                    || line.startsWith(":")) {
                parser.line(line);
            }
        }
        return new Totals(counts[0], counts[1], counts[2]);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
