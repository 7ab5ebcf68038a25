package io.gamewire.protocol.client;

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
import io.gamewire.protocol.MessageIds;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a gamewire server over TCP (GWP frames): sends events and requests, and gets their
 * ACKs, REPLYs and ERRORs back as futures. Delivery is at least once: an event not acknowledged
 * when the connection is lost is sent again on the next connection, so the server may see it twice
 * (it stores it once, by message id).
 *
 * <pre>{@code
 * try (GamewireClient client = GamewireClient.builder()
 *         .address("gamewire.example.com", 7450)
 *         .apiKey(System.getenv("GAMEWIRE_API_KEY"))
 *         .clientName("match-server-3")
 *         .build()) {
 *     client.connect().get(10, TimeUnit.SECONDS);
 *
 *     Envelope event = Envelope.event(MessageIds.next(), System.currentTimeMillis(), "application/json",
 *             "halo.prod.stats.match_end", "{\"kills\":7}".getBytes(StandardCharsets.UTF_8));
 *     client.send(event).whenComplete((ack, error) -> {
 *         if (error != null) log.warn("event {} refused: {}", event.messageId(), error.getMessage());
 *     });
 *
 *     Envelope query = new Envelope(FrameType.REQUEST, MessageIds.next(), null, System.currentTimeMillis(),
 *             "application/json", "halo.prod.players.get", Map.of(), ByteBuffer.wrap(playerIdJson));
 *     Envelope reply = client.request(query, Duration.ofSeconds(2)).get(); // reply.correlationId() == query id
 * }
 * }</pre>
 *
 * <p><b>Connection.</b> {@link #connect()} opens the connection and sends AUTH; its future
 * completes on the ACK and fails when the server cannot be reached or answers ERROR (a
 * {@link GwpErrorException} with the server's code and text). A failed first connection closes the
 * client. Once connected, a lost connection is made again after a back-off delay
 * ({@link Builder#reconnectBackoff}), AUTH is sent again, and then every frame still unanswered is
 * sent again in its original order. An API key refused on a reconnect ({@code AUTH_FAILED}) closes
 * the client and fails every unanswered future.
 *
 * <p><b>The window.</b> At most {@link Builder#maxInFlight} events and requests are unanswered at
 * any time. When all are, {@link #send} and {@link #request} <em>block</em> the calling thread until
 * an answer frees a slot (or the client is closed), so a slow or unreachable server slows the
 * sender down instead of filling its memory. Frames sent before {@link #connect()} wait in the
 * window too.
 *
 * <p><b>Threads.</b> All methods are thread-safe. The futures complete on the client's single I/O
 * thread, so keep callbacks short, and call {@link #send} and {@link #request} from threads of your
 * own: in a callback, use the {@code ...Async(..., executor)} variants. With the window full,
 * waiting on the I/O thread would stop the very answers that free a slot, so there the client throws
 * {@link IllegalStateException} instead of waiting.
 *
 * <p>An envelope's payload buffer must not be changed until its future has completed, since it may
 * be written again after a reconnect.
 *
 * <p>It is longer than gamewire's other classes (about 450 lines) because it is the client's whole
 * public API in one place: every send and request method with its Javadoc, and the nested
 * {@link Builder} with each setting's default; the connection itself is {@link ReconnectingConnection}.
 */
public final class GamewireClient implements AutoCloseable {

    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    /** The largest window a client may have. */
    public static final int MAX_IN_FLIGHT_CEILING = 65_536;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RECONNECT_INITIAL_DELAY = Duration.ofMillis(200);
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(GamewireClient.class);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final EnvelopeCodec codec;
    private final InFlightWindow window;
    private final ReconnectingConnection connection;
    private final Duration requestTimeout;
    private volatile boolean closed;

    private GamewireClient(Builder builder, ReconnectBackoff backoff) {
        this.codec = new EnvelopeCodec(builder.limits);
        this.window = new InFlightWindow(builder.maxInFlight);
        this.requestTimeout = builder.requestTimeout;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("gamewire-client", true));
        this.connection = new ReconnectingConnection(group, builder.host, builder.port, builder.apiKey,
                builder.clientName, builder.connectTimeout, backoff, builder.limits, builder.tls, new Answers());
        this.loop = connection.loop();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects and authenticates, unless that was started already.
     *
     * @return completes when the server acknowledged AUTH; fails with a {@link GwpErrorException}
     *         when it answered ERROR, or with the I/O or timeout error of the connection, and then
     *         the client is closed
     */
    public CompletableFuture<Void> connect() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("GamewireClient is closed"));
        }
        return connection.start();
    }

    /**
     * Sends an EVENT, waiting first for a free slot in the window if there is none.
     *
     * @return completes with the server's ACK; fails with a {@link GwpErrorException} when the
     *         server answered ERROR for this event, with a {@link MalformedFrameException} when the
     *         event is over the protocol's limits, with an {@link IllegalStateException} when the
     *         client is or gets closed before the ACK, and with an {@link InterruptedException} when
     *         the calling thread was interrupted while waiting for a slot (its interrupt flag is kept)
     * @throws IllegalArgumentException when {@code event} is not an EVENT
     * @throws IllegalStateException    when called on the client's I/O thread with the window full
     */
    public CompletableFuture<AckFrame> send(Envelope event) {
        requireType(event, FrameType.EVENT, "send");
        return submit(event, AckFrame.class, null);
    }

    /** {@link #request(Envelope, Duration)} with the {@link Builder#requestTimeout request timeout}. */
    public CompletableFuture<Envelope> request(Envelope request) {
        return request(request, requestTimeout);
    }

    /**
     * Sends a REQUEST, waiting first for a free slot in the window if there is none.
     *
     * @param timeout how long to wait for the REPLY, counted from when the request has its slot in
     *                the window, reconnects included; the request is forgotten after it
     * @return completes with the REPLY whose correlation id is the request's message id; fails with
     *         a {@link TimeoutException} after {@code timeout}, a {@link GwpErrorException} when the
     *         server answered ERROR for this request, and as {@link #send} does otherwise
     * @throws IllegalArgumentException when {@code request} is not a REQUEST or the timeout not positive
     * @throws IllegalStateException    when called on the client's I/O thread with the window full
     */
    public CompletableFuture<Envelope> request(Envelope request, Duration timeout) {
        requireType(request, FrameType.REQUEST, "request");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, was " + timeout);
        }
        return submit(request, Envelope.class, timeout);
    }

    /** Events and requests sent (or waiting to be sent) and not answered yet. */
    public int inFlight() {
        return window.used();
    }

    /**
     * Closes the connection and stops the client's thread. Every event or request not answered yet
     * fails with an {@link IllegalStateException}; senders blocked on a full window return with a
     * failed future. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            runOnLoop(() -> shutDown(new IllegalStateException("GamewireClient was closed before an answer arrived")));
        }
        Future<?> terminated = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!loop.inEventLoop()) {
            terminated.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static void requireType(Envelope envelope, FrameType type, String method) {
        Objects.requireNonNull(envelope, "envelope");
        if (envelope.type() != type) {
            throw new IllegalArgumentException(method + "() takes " + type + " envelopes, not " + envelope.type()
                    + " (" + envelope.messageId() + ")");
        }
    }

    private <A extends Frame> CompletableFuture<A> submit(Envelope frame, Class<A> answerType, Duration timeout) {
        try {
            codec.encodedLength(frame); // refused here, to its sender, rather than by the encoder on the I/O thread
        } catch (MalformedFrameException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            if (!takeSlot()) {
                return CompletableFuture.failedFuture(notSent(frame));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        InFlight<A> entry = new InFlight<>(frame, answerType);
        if (!runOnLoop(() -> track(entry, timeout))) {
            window.giveBackSlot();
            entry.fail(notSent(frame));
        }
        return entry.future();
    }

    private boolean takeSlot() throws InterruptedException {
        if (!loop.inEventLoop()) {
            return window.takeSlot();
        }
        if (window.tryTakeSlot()) {
            return true;
        }
        if (window.isClosed()) {
            return false;
        }
        throw new IllegalStateException("all " + window.capacity() + " slots of the in-flight window are taken, and"
                + " waiting for one on the client's I/O thread would stop the answers that free them: call send()"
                + " and request() from a thread of your own, e.g. with thenComposeAsync(..., executor)");
    }

    /** On the loop: enters the frame into the window and writes it if connected. */
    private void track(InFlight<?> entry, Duration timeout) {
        if (closed) {
            window.giveBackSlot();
            entry.fail(notSent(entry.frame()));
            return;
        }
        if (!window.add(entry)) {
            window.giveBackSlot();
            entry.fail(new IllegalArgumentException("message id " + entry.id()
                    + " is already in flight: every event and request needs an id of its own (MessageIds.next())"));
            return;
        }
        // however the future ends (answer, error, timeout, close, or the caller cancelling it),
        // its entry leaves the window and frees the slot
        entry.future().whenComplete((answer, failure) -> forget(entry));
        if (timeout != null) {
            ScheduledFuture<?> expiry = loop.schedule(() -> entry.fail(new TimeoutException("no REPLY to REQUEST "
                    + entry.id() + " (" + entry.frame().routingKey() + ") within " + timeout.toMillis() + " ms")),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            entry.future().whenComplete((answer, failure) -> expiry.cancel(false));
        }
        if (!entry.future().isDone() && connection.isReady()) {
            connection.write(entry.frame());
            connection.flush();
        }
    }

    private void forget(InFlight<?> entry) {
        if (loop.inEventLoop()) {
            window.remove(entry);
        } else {
            runOnLoop(() -> window.remove(entry)); // refused only once closed, when the window is gone anyway
        }
    }

    /** Runs {@code task} on the I/O thread; false when that thread has stopped. */
    private boolean runOnLoop(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static IllegalStateException notSent(Envelope frame) {
        return new IllegalStateException("GamewireClient is closed: " + frame.type() + " " + frame.messageId()
                + " was not sent");
    }

    /** On the loop: fails every unanswered frame and stops the connection and the window. */
    private void shutDown(Throwable cause) {
        closed = true;
        connection.close();
        for (InFlight<?> entry : window.inOrderAdded()) {
            entry.fail(cause);
        }
        window.close();
    }

    /** The connection's events, on the loop. */
    private final class Answers implements ReconnectingConnection.Listener {

        @Override
        public void authenticated() {
            // everything unanswered, in the order it was sent; on a first connection these are the
            // frames sent before it was made
            for (InFlight<?> entry : window.inOrderAdded()) {
                connection.write(entry.frame());
            }
            connection.flush();
        }

        @Override
        public void received(Frame frame) {
            if (frame instanceof AckFrame ack) {
                answer(ack.messageId(), ack);
            } else if (frame instanceof Envelope reply && reply.type() == FrameType.REPLY) {
                answer(reply.correlationId(), reply);
            } else if (frame instanceof ErrorFrame error) {
                InFlight<?> entry = window.get(error.messageId());
                if (entry != null && error.knownCode() == ErrorCode.SHUTTING_DOWN) {
                    // the server is stopping and did not take this one: it stays in the window and is
                    // resent after the reconnect, like everything else unanswered
                    LOG.debug("gamewire server {} is stopping; {} will be resent", connection.address(),
                            error.messageId());
                } else if (entry != null) {
                    entry.fail(new GwpErrorException(error));
                } else {
                    LOG.warn("gamewire server {} sent {} about nothing in flight", connection.address(), error);
                }
            } else {
                LOG.debug("Ignoring {} from gamewire server {}: not a frame a client expects", frame,
                        connection.address());
            }
        }

        private void answer(UUID id, Frame answer) {
            InFlight<?> entry = window.get(id);
            if (entry == null || !entry.answer(answer)) {
                // answered already (a resent frame answered twice), timed out or cancelled
                LOG.debug("Ignoring {}: it answers nothing in flight", answer);
            }
        }

        @Override
        public void failed(Throwable cause) {
            shutDown(cause);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS); // the client is finished: free its thread now
        }
    }

    /** Settings of a {@link GamewireClient}; host, port and API key are required. */
    public static final class Builder {

        private String host;
        private int port;
        private String apiKey;
        private String clientName = "";
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration reconnectInitialDelay = DEFAULT_RECONNECT_INITIAL_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private GwpLimits limits = GwpLimits.DEFAULTS;
        private SslContext tls;

        private Builder() {
        }

        /**
         * TLS to a server whose GWP port has it ({@code gamewire.tcp.tls}): a client context that
         * trusts the server's certificate, with the client's own certificate when the server asks for
         * one, for example {@code SslContextBuilder.forClient().trustManager(new File("ca.pem"))
         * .keyManager(new File("client.pem"), new File("client-key.pem")).build()}. The server's
         * certificate must also name the host of {@link #address}. Default: plaintext.
         */
        public Builder tls(SslContext clientContext) {
            if (!Objects.requireNonNull(clientContext, "clientContext").isClient()) {
                throw new IllegalArgumentException("tls needs a client context (SslContextBuilder.forClient())");
            }
            this.tls = clientContext;
            return this;
        }

        /** The server's host name or address and TCP port. */
        public Builder address(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** The title's API key, sent in AUTH (1 to 256 bytes of UTF-8). Never logged. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** A name for the server's logs and metrics (0 to 64 bytes of UTF-8); default empty. */
        public Builder clientName(String clientName) {
            this.clientName = Objects.requireNonNull(clientName, "clientName");
            return this;
        }

        /**
         * Events and requests that may be unanswered at once, 1 to
         * {@value GamewireClient#MAX_IN_FLIGHT_CEILING}; default {@value GamewireClient#DEFAULT_MAX_IN_FLIGHT}.
         */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** How long a TCP connection, and then the answer to its AUTH, may take; default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** The timeout of {@link GamewireClient#request(Envelope)}; default 30 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * The delay before reconnecting after a lost connection: {@code initial}, doubled after each
         * failed attempt up to {@code max}, less a random part of up to half; default 200 ms to 10 s.
         */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.reconnectInitialDelay = Objects.requireNonNull(initial, "initial");
            this.reconnectMaxDelay = Objects.requireNonNull(max, "max");
            return this;
        }

        /** The frame limits, for what is sent and what is accepted; default {@link GwpLimits#DEFAULTS}. */
        public Builder limits(GwpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * A client with these settings, not connected yet.
         *
         * @throws IllegalArgumentException naming the setting that is missing or out of range
         */
        public GamewireClient build() {
            if (host == null) {
                throw new IllegalArgumentException("address(host, port) is required");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
            }
            if (apiKey == null) {
                throw new IllegalArgumentException("apiKey is required");
            }
            try {
                new EnvelopeCodec(limits).encodedLength(new AuthFrame(MessageIds.next(), apiKey, clientName));
            } catch (MalformedFrameException e) {
                throw new IllegalArgumentException("apiKey or clientName: " + e.getMessage(), e);
            }
            if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_CEILING) {
                throw new IllegalArgumentException("maxInFlight must be from 1 to " + MAX_IN_FLIGHT_CEILING + ", was "
                        + maxInFlight);
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("requestTimeout", requestTimeout);
            ReconnectBackoff backoff = new ReconnectBackoff(reconnectInitialDelay, reconnectMaxDelay);
            return new GamewireClient(this, backoff);
        }

        private static void requirePositive(String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }
    }
}
