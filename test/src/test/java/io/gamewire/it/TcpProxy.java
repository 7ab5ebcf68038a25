package io.gamewire.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of a backend, so a test can make the backend unreachable (and reachable
 * again) without stopping a shared service: {@link #cut()} closes the listener and every forwarded
 * connection, {@link #restore()} listens again on the same port. {@link #degrade} makes the link
 * slow and unreliable instead (a delay on every write, every connection reset now and then), until
 * {@link #heal()}. {@link #hold()} stops forwarding without closing anything, as a peer that has
 * stopped answering does, until {@link #release()}.
 */
final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /**
     * Held while a connection is added to {@link #open} and while {@link #cut()} closes them: a
     * connection accepted just before a cut, and still connecting to the backend while the cut
     * closed the others, would otherwise be added after it and outlive the cut.
     */
    private final Object registration = new Object();
    private volatile ServerSocket listener;
    private int port;
    /** The delay added before each forwarded write, in nanoseconds; 0 while healthy. */
    private volatile long delayNanos;
    /** While set, every pump waits on it before forwarding what it read; counted down by {@link #release()}. */
    private volatile java.util.concurrent.CountDownLatch held;
    private java.util.concurrent.ScheduledExecutorService resets;

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        // not bind(0): that may take a port just picked for a gamewire instance that has not bound it yet
        listen(GamewireUnderTest.freePort());
    }

    int port() {
        return port;
    }

    private void listen(int requestedPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", requestedPort));
        port = server.getLocalPort();
        listener = server;
        Thread acceptor = new Thread(() -> accept(server), "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // cut or closed
            }
            try {
                Socket backend = new Socket(targetHost, targetPort);
                synchronized (registration) {
                    if (server.isClosed()) { // cut while it was connecting: it must not outlive the cut
                        closeQuietly(client);
                        closeQuietly(backend);
                        return;
                    }
                    open.add(client);
                    open.add(backend);
                }
                pipe(client, backend);
                pipe(backend, client);
            } catch (IOException backendRefused) {
                closeQuietly(client); // that client only: the proxy goes on accepting
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    java.util.concurrent.CountDownLatch hold = held;
                    if (hold != null) {
                        hold.await();
                    }
                    long delay = delayNanos;
                    if (delay > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(delay); // the link's latency, not a test wait
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    /** The backend becomes unreachable: no new connections, existing ones reset. */
    void cut() {
        synchronized (registration) {
            closeQuietly(listener);
            for (Socket socket : open) {
                closeQuietly(socket);
            }
            open.clear();
        }
    }

    /** Reachable again, on the same port. */
    void restore() throws IOException {
        listen(port);
    }

    /**
     * The link becomes slow and unreliable: {@code delay} before every forwarded write (each way),
     * and every open connection reset each {@code resetEvery}; new connections are still accepted.
     */
    synchronized void degrade(java.time.Duration delay, java.time.Duration resetEvery) {
        heal();
        delayNanos = delay.toNanos();
        resets = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tcp-proxy-resets-" + port);
            thread.setDaemon(true);
            return thread;
        });
        resets.scheduleAtFixedRate(this::resetConnections, resetEvery.toMillis(), resetEvery.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Nothing more is forwarded, either way, and nothing is closed: the backend seems to have stopped
     * answering (a broker that takes publishes and never confirms them). Bytes read meanwhile are
     * forwarded at {@link #release()}.
     */
    synchronized void hold() {
        if (held == null) {
            held = new java.util.concurrent.CountDownLatch(1);
        }
    }

    /** Forwards again what {@link #hold()} held, and what comes after. */
    synchronized void release() {
        java.util.concurrent.CountDownLatch hold = held;
        held = null;
        if (hold != null) {
            hold.countDown();
        }
    }

    /** Healthy again: no delay, no resets. */
    synchronized void heal() {
        delayNanos = 0;
        if (resets != null) {
            resets.shutdownNow();
            resets = null;
        }
    }

    /**
     * Resets every forwarded connection, as a dropped link does; the listener stays. Unlike
     * {@link #cut()} it needs no {@code registration} lock: a connection registered during the sweep
     * is reset by the next one.
     */
    private void resetConnections() {
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0); // an RST, not an orderly close
            } catch (IOException e) {
                // closed already
            }
            closeQuietly(socket);
            open.remove(socket);
        }
    }

    @Override
    public void close() {
        release();
        heal();
        cut();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException e) {
            // already closed
        }
    }
}
