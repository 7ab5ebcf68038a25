package io.gamewire.bench.load;

import io.gamewire.protocol.AuthFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MessageIds;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code LoadMain silent}: GWP clients that authenticate and then send EVENT frames as fast as the
 * socket takes them, and never read a byte, for a while. The server's memory must stay bounded: it
 * stops reading a connection whose ACKs the client does not take, so the client's writes block once
 * the socket buffers are full. Reports how many frames each connection got into its socket.
 */
final class SilentClients {

    private SilentClients() {
    }

    static int run(Args args) throws UsageException, LoadFailure, InterruptedException {
        String host = args.text("host", LoadSettings.DEFAULT_HOST);
        int port = args.integer("port", LoadSettings.DEFAULT_TCP_PORT, 1, 65_535);
        String apiKey = args.text("api-key", LoadSettings.DEFAULT_API_KEY);
        String routingKey = args.text("routing-key", LoadSettings.DEFAULT_ROUTING_KEY);
        int size = args.integer("size", LoadSettings.DEFAULT_PAYLOAD_BYTES, Payloads.MIN_BYTES, 1_000_000);
        int connections = args.integer("connections", 50, 1, 10_000);
        Duration duration = args.duration("duration", Duration.ofSeconds(60), Duration.ofMillis(100));
        args.requireNoneLeft();

        Payloads payloads = new Payloads(size);
        EnvelopeCodec codec = new EnvelopeCodec();
        List<Socket> sockets = new ArrayList<>();
        List<AtomicLong> written = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), 10_000);
                sockets.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(codec.encode(new AuthFrame(UUID.randomUUID(), apiKey, "silent-" + i)));
                AtomicLong frames = new AtomicLong();
                written.add(frames);
                Thread thread = new Thread(() -> sendUntilClosed(out, codec, routingKey, payloads, frames), "silent-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
        } catch (IOException e) {
            sockets.forEach(SilentClients::close);
            throw new LoadFailure("could not open " + connections + " GWP connections to " + host + ":" + port + ": " + e, e);
        }
        threads.forEach(Thread::start);
        Thread.sleep(duration.toMillis());
        // a write blocked on a full socket returns (with an exception) once the socket is closed
        sockets.forEach(SilentClients::close);
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        long total = written.stream().mapToLong(AtomicLong::get).sum();
        long least = written.stream().mapToLong(AtomicLong::get).min().orElse(0);
        long most = written.stream().mapToLong(AtomicLong::get).max().orElse(0);
        System.out.printf(Locale.ROOT, "%d connections sent for %.1f s without reading: %,d frames written"
                + " (per connection %,d to %,d)%n", connections, duration.toMillis() / 1000.0, total, least, most);
        System.out.printf(Locale.ROOT, "RESULT mode=silent connections=%d frames_written=%d least=%d most=%d%n",
                connections, total, least, most);
        return 0;
    }

    private static void sendUntilClosed(OutputStream out, EnvelopeCodec codec, String routingKey, Payloads payloads,
            AtomicLong frames) {
        try {
            while (true) {
                Envelope event = Envelope.event(MessageIds.next(), System.currentTimeMillis(), "application/json",
                        routingKey, payloads.next());
                out.write(codec.encode(event));
                frames.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            // the socket was closed at the end of the run, or by the server
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
