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
 * as a client that keeps the delivery promise: whatever has no ACK or 202 yet (ERROR 105, 206 or
 * 299; HTTP 429, 500 or 503; a failed request) is sent again with the same message id after a
 * back-off (250 ms, doubling to 8 s) until it has one, or until the run ends; the GWP client itself
 * sends again what a lost connection left unanswered.
 * Like a real client, it has a bounded number of requests in flight: 512 GWP events (the client's
 * window), 256 HTTP requests (a connection pool); a full one slows the sending down. Any other
 * answer, and any answer that carries the request's API key back, is refused for good
 * ({@link #refused}), which fails the scenario.
 *
 * <p>Given several gamewire instances ({@link Instance}), it behaves as clients behind a load
 * balancer: new events go round the instances, skipping one that failed a moment ago (a connection
 * refused) or holds many unanswered events; an HTTP resend goes to the next instance; and a GWP
 * event with no answer after {@link #HANDOVER} is sent again, with the same message id, through
 * another instance's connection (its own client would only send it again once its instance is back).
 */
final class FaultLoad implements AutoCloseable {

    /** Ticks per second of the pacing: the offered rate is sent in that many equal slices. */
    private static final int TICKS = 50;
    /** The first resend of an event waits this long, each further one twice as long, up to {@link #RESEND_MAX}. */
    private static final Duration RESEND_AFTER = Duration.ofMillis(250);
    private static final Duration RESEND_MAX = Duration.ofSeconds(8);
    /** With several instances: a GWP event unanswered this long is sent again through another instance. */
    private static final Duration HANDOVER = Duration.ofSeconds(5);
    /** With several instances: one whose connection failed is skipped by new events this long. */
    private static final Duration SKIP_FAILED = Duration.ofSeconds(2);

    /** A gamewire instance the load sends to: its HTTP and GWP ports. */
    record Instance(int httpPort, int tcpPort) {

        static Instance of(GamewireUnderTest gw) {
            return new Instance(gw.httpPort, gw.tcpPort);
        }
    }

    final Set<UUID> sent = ConcurrentHashMap.newKeySet();
    /** The player each event sent names: the key of its KV record ({@code player:<name>}) and cache entry. */
    final java.util.Map<UUID, String> players = new ConcurrentHashMap<>();
    final Set<UUID> acked = ConcurrentHashMap.newKeySet();
    /** Sends that got no ACK/202 and were sent again (an unknown outcome: see the class comment). */
    final AtomicLong resends = new AtomicLong();
    /** The first refusal for good (4xx, an ERROR other than 105/206/299): the run is broken if there is one. */
    final AtomicReference<String> refused = new AtomicReference<>();

    private final GamewireUnderTest gw;
    private final String routingKey;
    private final int perSecond;
    private final java.util.List<Instance> instances;
    /** Events acknowledged through each instance (by its index in {@link #instances}). */
    final java.util.List<AtomicLong> ackedVia;
    /** Per instance: until when (System.nanoTime) new events skip it, after a connection to it failed. */
    private final java.util.concurrent.atomic.AtomicLongArray skipUntil;
    /** The instance each HTTP event was last sent to, so that a resend goes to the next one. */
    private final java.util.Map<UUID, Integer> httpVia = new ConcurrentHashMap<>();
    private final AtomicLong httpTurn = new AtomicLong();
    /**
     * The TCP clients each event is unanswered on: a resend goes to another one, since a client
     * refuses an id it still holds (every instance skipped, the turn's may be the one that holds it).
     */
    private final java.util.Map<UUID, Set<Integer>> tcpHolding = new ConcurrentHashMap<>();
    private final AtomicLong tcpTurn = new AtomicLong();
    // its own threads, so that close() ends every answer's callback (the JDK 17 client has no close),
    // and the back-offs' resends
    private final java.util.concurrent.ExecutorService loadThreads = java.util.concurrent.Executors.newFixedThreadPool(4);
    // HTTP/1.1, as most game back ends send: the JDK client would otherwise upgrade to h2c and hit the
    // server's limit of concurrent streams on one connection, a refusal of its own making
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(loadThreads).connectTimeout(Duration.ofSeconds(5)).build();
    private final BlockingQueue<Envelope> tcpResends = new LinkedBlockingQueue<>();
    /** HTTP resends whose back-off is over, sent by the HTTP thread. */
    private final BlockingQueue<Envelope> httpResends = new LinkedBlockingQueue<>();
    /**
     * HTTP requests in flight at most, as a client's connection pool allows: while gamewire answers
     * slowly (a 503 only after the confirm timeout), sends wait for a free one, as real clients do,
     * instead of opening connections without end.
     */
    private final java.util.concurrent.Semaphore httpInFlight = new java.util.concurrent.Semaphore(HTTP_IN_FLIGHT);
    private static final int HTTP_IN_FLIGHT = 256;
    private final AtomicLong counter = new AtomicLong();
    /** New events are made while this is set; resends go on until {@link #close}. */
    private volatile boolean generating = true;
    private volatile boolean running = true;
    /** Why sends were resent: HTTP statuses and exceptions, TCP error codes and exceptions, with counts. */
    final java.util.Map<String, AtomicLong> resendCauses = new ConcurrentHashMap<>();
    /** memcached's evictions when the load began ({@link MemcachedEvictions}), on the real services. */
    long memcachedEvictionsAtStart;
    private final java.util.List<GamewireClient> tcp = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Thread tcpThread;
    private Thread httpThread;

    FaultLoad(GamewireUnderTest gw, int perSecond) {
        this(gw, perSecond, java.util.List.of(Instance.of(gw)));
    }

    /** The load spread over {@code instances} of {@code gw}'s run (one title, exchange and database). */
    FaultLoad(GamewireUnderTest gw, int perSecond, java.util.List<Instance> instances) {
        this.gw = gw;
        this.routingKey = gw.services.get(1) + ".scored";
        this.perSecond = perSecond;
        this.instances = java.util.List.copyOf(instances);
        this.ackedVia = this.instances.stream().map(i -> new AtomicLong()).toList();
        this.skipUntil = new java.util.concurrent.atomic.AtomicLongArray(this.instances.size());
    }

    FaultLoad start() throws Exception {
        memcachedEvictionsAtStart = GamewireUnderTest.SERVICES ? MemcachedEvictions.total() : 0;
        for (Instance instance : instances) {
            GamewireClient client = GamewireClient.builder().address("127.0.0.1", instance.tcpPort()).apiKey(gw.apiKey)
                    .clientName("fault-load/1").maxInFlight(TCP_IN_FLIGHT)
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
            tcp.add(client);
            client.connect().get(30, TimeUnit.SECONDS);
        }
        tcpThread = new Thread(this::sendTcp, "fault-load-tcp");
        httpThread = new Thread(this::sendHttp, "fault-load-http");
        tcpThread.start();
        httpThread.start();
        return this;
    }

    private Envelope next() {
        long n = counter.incrementAndGet();
        String player = "f" + n;
        String payload = "{\"player\":\"" + player + "\",\"points\":" + (n % 100) + "}";
        Envelope event = Envelope.event(MessageIds.next(), System.currentTimeMillis(), "application/json", routingKey,
                payload.getBytes(StandardCharsets.UTF_8));
        players.put(event.messageId(), player);
        sent.add(event.messageId());
        return event;
    }

    private static final int TCP_IN_FLIGHT = 512;

    /** Sends a slice every tick; the client's window bounds what is in flight (a full window slows it down). */
    private void sendTcp() {
        pace(() -> {
            // only those waiting now: a resend that fails at once waits for the next tick, never spins
            for (int waiting = tcpResends.size(); waiting > 0; waiting--) {
                sendTcp(tcpResends.poll());
            }
            for (int i = 0; generating && i < perSecond / 2 / TICKS; i++) {
                sendTcp(next());
            }
        });
    }

    /**
     * The instance whose turn it is, skipping those that failed a moment ago and, over GWP, those
     * holding many unanswered events (a dead instance's client keeps them for its reconnect); the
     * one whose turn it is when every instance is skipped.
     */
    private int pick(AtomicLong turn, boolean overTcp) {
        int first = (int) (turn.getAndIncrement() % instances.size());
        for (int step = 0; step < instances.size(); step++) {
            int candidate = (first + step) % instances.size();
            boolean failedLately = skipUntil.get(candidate) - System.nanoTime() > 0;
            boolean stuck = overTcp && tcp.get(candidate).inFlight() >= TCP_IN_FLIGHT / 4;
            if (!failedLately && !stuck) {
                return candidate;
            }
        }
        return first;
    }

    private void sendTcp(Envelope event) {
        if (acked.contains(event.messageId())) {
            return; // a resend of an event answered meanwhile
        }
        Set<Integer> holding = tcpHolding.computeIfAbsent(event.messageId(), id -> ConcurrentHashMap.newKeySet());
        int via = pick(tcpTurn, true);
        for (int step = 0; holding.contains(via) && step < instances.size(); step++) {
            via = (via + 1) % instances.size();
        }
        if (!holding.add(via)) {
            tcpResends.add(event); // every client still holds it: the next tick, when one may have answered
            return;
        }
        int sentVia = via;
        java.util.concurrent.CompletableFuture<io.gamewire.protocol.AckFrame> answer;
        try {
            answer = tcp.get(via).send(event);
        } catch (RuntimeException e) {
            holding.remove(sentVia);
            // the client takes every valid event while it runs (it waits for a connection or a slot)
            if (running) {
                refused.compareAndSet(null, java.time.LocalTime.now() + " TCP " + event.messageId() + ", the client refused to send it: " + e);
            }
            return;
        }
        if (instances.size() > 1) {
            // a client behind a load balancer: no answer in time, the event goes through another instance
            java.util.concurrent.CompletableFuture.delayedExecutor(HANDOVER.toMillis(), TimeUnit.MILLISECONDS,
                    loadThreads).execute(() -> {
                        if (running && !answer.isDone() && !acked.contains(event.messageId())) {
                            skipUntil.set(sentVia, System.nanoTime() + SKIP_FAILED.toNanos());
                            resends.incrementAndGet();
                            cause("TCP no answer in " + HANDOVER.toSeconds() + " s: sent through another instance");
                            // a copy: the first client may still write the event's payload buffer on a reconnect
                            tcpResends.add(Envelope.event(event.messageId(), event.timestamp(), event.contentType(),
                                    event.routingKey(), event.payloadBytes()));
                        }
                    });
        }
        answer.whenComplete((ack, failure) -> {
            holding.remove(sentVia);
            if (failure == null) {
                if (acked.add(event.messageId())) {
                    ackedVia.get(sentVia).incrementAndGet();
                }
            } else if (running && resendable(failure)) {
                resends.incrementAndGet();
                cause("TCP " + failure);
                // after its back-off, by the sending thread: never from the client's own thread
                java.util.concurrent.CompletableFuture.delayedExecutor(backoff(event).toMillis(), TimeUnit.MILLISECONDS,
                        loadThreads).execute(() -> tcpResends.add(event));
            } else if (running) {
                refused.compareAndSet(null, java.time.LocalTime.now() + " TCP " + event.messageId() + ": " + failure);
            }
        });
    }

    /**
     * Whether the client does not know what happened to the event: an ERROR that says so or asks for
     * a resend (105, 206, 299), or the connection lost. Any other ERROR refuses it for good, and so
     * does the client itself giving up (closed, an event it cannot send): resending would only spin.
     */
    private static boolean resendable(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof GwpErrorException error) {
            return error.knownCode() == ErrorCode.SHUTTING_DOWN || error.knownCode() == ErrorCode.PUBLISH_FAILED
                    || error.knownCode() == ErrorCode.INTERNAL_ERROR;
        }
        return !(cause instanceof IllegalStateException || cause instanceof IllegalArgumentException);
    }

    private void sendHttp() {
        pace(() -> {
            for (int waiting = httpResends.size(); waiting > 0; waiting--) {
                sendHttp(httpResends.poll());
            }
            for (int i = 0; generating && i < perSecond / 2 / TICKS; i++) {
                sendHttp(next());
            }
        });
    }

    /** Answers that leave the outcome unknown or ask to come back later: 500, 503, and 429 (slow down). */
    private static final Set<Integer> RESEND_STATUSES = Set.of(429, 500, 503);

    /** The instance for an HTTP send: the next one after the instance that had the event before, if any. */
    private int httpInstance(Envelope event) {
        if (instances.size() == 1) {
            return 0;
        }
        Integer before = httpVia.get(event.messageId());
        int via = before == null ? pick(httpTurn, false) : (before + 1) % instances.size();
        httpVia.put(event.messageId(), via);
        return via;
    }

    private void sendHttp(Envelope event) {
        int via = httpInstance(event);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instances.get(via).httpPort()
                        + "/v1/events/"
                        + routingKey)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + gw.apiKey).header("Content-Type", "application/json")
                .header("Gw-Message-Id", event.messageId().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.payloadBytes())).build();
        try {
            while (!httpInFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (!running) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
            httpInFlight.release();
            if (failure == null && echoesTheKey(answer)) {
                refused.compareAndSet(null, java.time.LocalTime.now() + " HTTP " + answer.statusCode()
                        + " echoed the request's API key back: " + answer.headers().map() + " " + answer.body());
            }
            if (failure == null && answer.statusCode() == 500 && firstServerError.compareAndSet(null,
                    answer.statusCode() + " " + answer.headers().map() + " " + answer.body())) {
                System.out.println("fault load: the first 500 answer: " + firstServerError.get());
            }
            if (failure == null && answer.statusCode() == 202) {
                if (acked.add(event.messageId())) {
                    ackedVia.get(via).incrementAndGet();
                }
            } else if (failure != null || RESEND_STATUSES.contains(answer.statusCode())) {
                if (failure != null && instances.size() > 1) {
                    skipUntil.set(via, System.nanoTime() + SKIP_FAILED.toNanos());
                }
                if (running) {
                    resends.incrementAndGet();
                    cause(failure != null ? "HTTP " + failure : "HTTP " + answer.statusCode());
                    java.util.concurrent.CompletableFuture.delayedExecutor(backoff(event).toMillis(),
                            TimeUnit.MILLISECONDS, loadThreads).execute(() -> httpResends.add(event));
                }
            } else if (running) {
                refused.compareAndSet(null, java.time.LocalTime.now() + " HTTP " + answer.statusCode() + " " + answer.body());
            }
        });
    }

    private final java.util.Map<UUID, Integer> attempts = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<String> firstServerError =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Whether an answer carries the API key the request sent (an error answer echoing the request's headers). */
    private boolean echoesTheKey(HttpResponse<String> answer) {
        return answer.headers().map().toString().contains(gw.apiKey)
                || answer.body() != null && answer.body().contains(gw.apiKey);
    }

    /** The delay before sending {@code event} again: a client backs off while gamewire is slow, as real ones do. */
    private Duration backoff(Envelope event) {
        int attempt = attempts.merge(event.messageId(), 1, Integer::sum);
        Duration delay = RESEND_AFTER.multipliedBy(1L << Math.min(attempt - 1, 5));
        return delay.compareTo(RESEND_MAX) > 0 ? RESEND_MAX : delay;
    }

    private void cause(String what) {
        // one count per kind: the message id an ERROR names is left out
        String kind = what.replaceAll("about [0-9a-f-]{36}", "about <id>");
        String key = kind.length() > 120 ? kind.substring(0, 120) : kind;
        resendCauses.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    /**
     * Runs {@code slice} {@link #TICKS} times a second until {@link #close}. Ticks missed while a
     * slice waited (a full window, no free connection) are skipped, not made up in a burst: the
     * load offered never goes above its rate.
     */
    private void pace(Runnable slice) {
        long tick = TimeUnit.SECONDS.toNanos(1) / TICKS;
        long next = System.nanoTime();
        while (running) {
            slice.run();
            next = Math.max(next + tick, System.nanoTime());
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing the generator, not a test wait
            }
        }
    }

    /**
     * The end of a scenario once its fault is mended: the load goes on for {@code after} with
     * nothing refused, then stops making events, and waits until every event sent has its answer.
     *
     * @param what the scenario, for the printed resend causes
     * @return the events acknowledged during {@code after} (sent once all was well again)
     */
    Set<UUID> finish(Duration after, String what) {
        Set<UUID> ackedBefore = Set.copyOf(acked);
        org.awaitility.Awaitility.await().during(after).atMost(after.plusSeconds(5)).untilAsserted(this::assertNothingRefused);
        stopSending();
        Set<UUID> ackedAfter = new java.util.HashSet<>(acked);
        ackedAfter.removeAll(ackedBefore);
        System.out.println("fault load, " + what + ": resends by cause " + resendCauses);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).failFast(this::assertNothingRefused)
                .until(() -> unanswered() == 0);
        return ackedAfter;
    }

    /** Fails with the first refusal for good, if there was one. */
    void assertNothingRefused() {
        String refusal = refused.get();
        if (refusal != null) {
            throw new AssertionError("refused for good: " + refusal);
        }
    }

    /** Events sent whose ACK or 202 has not come (yet): counted one by one, never as a difference of two moving sizes. */
    long unanswered() {
        return sent.stream().filter(id -> !acked.contains(id)).count();
    }

    /** Stops making new events; what has no answer yet is still sent again until it has one (or {@link #close}). */
    void stopSending() {
        generating = false;
    }

    @Override
    public void close() throws Exception {
        generating = false;
        running = false;
        tcp.forEach(GamewireClient::close); // first: it wakes a sender waiting for a slot of a full window
        if (tcpThread != null) {
            tcpThread.join(30_000);
            httpThread.join(30_000);
        }
        loadThreads.shutdownNow();
    }
}
