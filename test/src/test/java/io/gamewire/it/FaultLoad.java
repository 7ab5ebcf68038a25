package io.gamewire.it;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.protocol.client.GwpErrorException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The steady mixed load of the fault suite: half the events over GWP ({@link GamewireClient}), half
 * as single HTTP JSON events with their own {@code Gw-Message-Id}, at a fixed offered rate, each a
 * {@code scored} event of a player of its own (one events row and one table row each). It behaves
 * as a client that keeps the delivery promise: whatever has no ACK or 202 yet (206, 503, 105, a
 * lost connection) is sent again with the same message id until it has one, or until the run ends.
 */
final class FaultLoad implements AutoCloseable {

    /** Ticks per second of the pacing: the offered rate is sent in that many equal slices. */
    private static final int TICKS = 50;
    /** The first resend of an event waits this long, each further one twice as long, up to {@link #RESEND_MAX}. */
    private static final Duration RESEND_AFTER = Duration.ofMillis(250);
    private static final Duration RESEND_MAX = Duration.ofSeconds(8);

    final Set<UUID> sent = ConcurrentHashMap.newKeySet();
    final Set<UUID> acked = ConcurrentHashMap.newKeySet();
    /** Sends that got no ACK/202 and were sent again (an unknown outcome: 206, 503, a lost connection). */
    final AtomicLong resends = new AtomicLong();
    /** The first refusal for good (4xx, an ERROR other than 105/206/299): the run is broken if there is one. */
    final AtomicReference<String> refused = new AtomicReference<>();
    /** Sends the TCP client itself refused (it was closing or reconnecting), and the last such error. */
    final AtomicLong sendFailures = new AtomicLong();
    final AtomicReference<String> lastSendFailure = new AtomicReference<>();

    private final GamewireUnderTest gw;
    private final String routingKey;
    private final int perSecond;
    // HTTP/1.1, as most game back ends send: the JDK client would otherwise upgrade to h2c and hit the
    // server's limit of concurrent streams on one connection, a refusal of its own making
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final BlockingQueue<Envelope> tcpResends = new LinkedBlockingQueue<>();
    private final AtomicLong counter = new AtomicLong();
    /** New events are made while this is set; resends go on until {@link #close}. */
    private volatile boolean generating = true;
    private volatile boolean running = true;
    /** Why sends were resent: HTTP statuses and exceptions, TCP error codes and exceptions, with counts. */
    final java.util.Map<String, AtomicLong> resendCauses = new ConcurrentHashMap<>();
    private GamewireClient tcp;
    private Thread tcpThread;
    private Thread httpThread;

    FaultLoad(GamewireUnderTest gw, int perSecond) {
        this.gw = gw;
        this.routingKey = gw.services.get(1) + ".scored";
        this.perSecond = perSecond;
    }

    FaultLoad start() throws Exception {
        tcp = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey).clientName("fault-load/1")
                .maxInFlight(512).reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
        tcp.connect().get(30, TimeUnit.SECONDS);
        tcpThread = new Thread(this::sendTcp, "fault-load-tcp");
        httpThread = new Thread(this::sendHttp, "fault-load-http");
        tcpThread.start();
        httpThread.start();
        return this;
    }

    private Envelope next() {
        long n = counter.incrementAndGet();
        String payload = "{\"player\":\"f" + n + "\",\"points\":" + (n % 100) + "}";
        Envelope event = Envelope.event(MessageIds.next(), System.currentTimeMillis(), "application/json", routingKey,
                payload.getBytes(StandardCharsets.UTF_8));
        sent.add(event.messageId());
        return event;
    }

    /** Sends a slice every tick; the client's window bounds what is in flight (a full window slows it down). */
    private void sendTcp() {
        pace(() -> {
            for (Envelope again; (again = tcpResends.poll()) != null; ) {
                sendTcp(again);
            }
            for (int i = 0; generating && i < perSecond / 2 / TICKS; i++) {
                sendTcp(next());
            }
        });
    }

    private void sendTcp(Envelope event) {
        java.util.concurrent.CompletableFuture<io.gamewire.protocol.AckFrame> answer;
        try {
            answer = tcp.send(event);
        } catch (RuntimeException e) {
            // the client refused to take it (closing, reconnecting): a send to try again, never a lost one
            sendFailures.incrementAndGet();
            lastSendFailure.set(e.toString());
            resends.incrementAndGet();
            tcpResends.add(event);
            return;
        }
        answer.whenComplete((ack, failure) -> {
            if (failure == null) {
                acked.add(event.messageId());
            } else if (running && resendable(failure)) {
                resends.incrementAndGet();
                cause("TCP " + failure);
                tcpResends.add(event); // the sending thread sends it again: never from the client's own thread
            } else if (running) {
                refused.compareAndSet(null, "TCP " + event.messageId() + ": " + failure);
            }
        });
    }

    /**
     * Whether the client does not know what happened to the event: an ERROR that says so or asks for
     * a resend (105, 206, 299), or the connection lost. Any other ERROR refuses it for good.
     */
    private static boolean resendable(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof GwpErrorException error) {
            return error.knownCode() == ErrorCode.SHUTTING_DOWN || error.knownCode() == ErrorCode.PUBLISH_FAILED
                    || error.knownCode() == ErrorCode.INTERNAL_ERROR;
        }
        return true;
    }

    private void sendHttp() {
        pace(() -> {
            for (int i = 0; generating && i < perSecond / 2 / TICKS; i++) {
                sendHttp(next());
            }
        });
    }

    private void sendHttp(Envelope event) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + "/v1/events/"
                        + routingKey)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + gw.apiKey).header("Content-Type", "application/json")
                .header("Gw-Message-Id", event.messageId().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.payloadBytes())).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
            if (failure == null && answer.statusCode() == 202) {
                acked.add(event.messageId());
            } else if (failure != null || answer.statusCode() == 503 || answer.statusCode() == 500) {
                if (running) {
                    resends.incrementAndGet();
                    cause(failure != null ? "HTTP " + failure : "HTTP " + answer.statusCode());
                    java.util.concurrent.CompletableFuture.delayedExecutor(backoff(event).toMillis(),
                            TimeUnit.MILLISECONDS).execute(() -> sendHttp(event));
                }
            } else if (running) {
                refused.compareAndSet(null, "HTTP " + answer.statusCode() + " " + answer.body());
            }
        });
    }

    private final java.util.Map<UUID, Integer> attempts = new ConcurrentHashMap<>();

    /** The delay before sending {@code event} again: a client backs off while gamewire is slow, as real ones do. */
    private Duration backoff(Envelope event) {
        int attempt = attempts.merge(event.messageId(), 1, Integer::sum);
        Duration delay = RESEND_AFTER.multipliedBy(1L << Math.min(attempt - 1, 5));
        return delay.compareTo(RESEND_MAX) > 0 ? RESEND_MAX : delay;
    }

    private void cause(String what) {
        String key = what.length() > 120 ? what.substring(0, 120) : what;
        resendCauses.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    /** Runs {@code slice} {@link #TICKS} times a second until {@link #close}. */
    private void pace(Runnable slice) {
        long tick = TimeUnit.SECONDS.toNanos(1) / TICKS;
        long next = System.nanoTime();
        while (running) {
            slice.run();
            next += tick;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing the generator, not a test wait
            }
        }
    }

    /** Events sent whose ACK or 202 has not come (yet). */
    long unanswered() {
        return sent.size() - acked.size();
    }

    /** Stops making new events; what has no answer yet is still sent again until it has one (or {@link #close}). */
    void stopSending() {
        generating = false;
    }

    @Override
    public void close() throws Exception {
        generating = false;
        running = false;
        if (tcpThread != null) {
            tcpThread.join(30_000);
            httpThread.join(30_000);
        }
        if (tcp != null) {
            tcp.close();
        }
    }
}
