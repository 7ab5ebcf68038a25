package io.gamewire.ingest.tcp;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.AuthFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.PingFrame;
import io.gamewire.protocol.PongFrame;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.TitleRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session layer of one GWP connection, between the frame codec and Camel's consumer:
 * <ul>
 *   <li>AUTH first (else {@code 100}), a key some title has (else {@code 101}), within the AUTH
 *       timeout (else {@code 102}), and not while the server drains (else {@code 105}); answered
 *       ACK; the connection takes its publish order then ({@link TcpSession#order()}: one publisher
 *       lane for all its events), and gives it back when it closes;</li>
 *   <li>PING answered PONG here; an EVENT admitted, published and answered ACK or ERROR here
 *       ({@link TcpEvents}, without a Camel exchange); a REQUEST passed on to the Camel route,
 *       which answers it (REPLY or ERROR) through this handler;</li>
 *   <li>the in-flight window: at {@code max-in-flight} unanswered frames reading stops, and a frame
 *       over the window (already read) is answered {@code 205};</li>
 *   <li>reading also stops while the client does not read its answers (the channel is not
 *       writable) and while the broker blocks publishers, so memory stays bounded whatever the
 *       client does;</li>
 *   <li>idle connections (no whole frame for the idle time while nothing is in flight) are closed
 *       with {@code 103}: a client that trickles bytes does not count as active;</li>
 *   <li>a client that half-closes (shuts down its sending side) gets the answers to every whole
 *       frame it sent, then the connection closes.</li>
 * </ul>
 * Every method runs on the channel's event loop, except {@link #answer}, which runs on the thread
 * that took the broker's confirm, and hands its write to the event loop as Netty does the route's
 * REPLYs. Every answer is written from the pipeline's tail, so it passes {@link #write}, which
 * ends its frame's place in the window.
 */
final class GwpSessionHandler extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GwpSessionHandler.class);

    /** How long an ERROR that closes the connection may take to reach the client. */
    private static final long CLOSE_GRACE_MS = 1000;

    private final TcpSettings settings;
    private final TcpConnections connections;
    private final TitleRegistry titles;
    private final TcpEvents events;
    private final LostAnswerLogging lostAnswers;
    private final TcpSession session = new TcpSession();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> idleTimer;
    private volatile long lastFrameNanos = System.nanoTime();
    /** The client half-closed: no frame will come, close once the last answer is written. */
    private boolean inputShutdown;

    GwpSessionHandler(TcpSettings settings, TcpConnections connections, TitleRegistry titles, TcpEvents events,
                      LostAnswerLogging lostAnswers) {
        this.settings = settings;
        this.connections = connections;
        this.titles = titles;
        this.events = events;
        this.lostAnswers = lostAnswers;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(TcpSession.KEY).set(session);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        authTimer = ctx.executor().schedule(() -> closeWith(ErrorCode.AUTH_TIMEOUT,
                "no AUTH within " + settings.authTimeoutMs() + " ms of connecting (gamewire.tcp.auth-timeout-ms)"),
                settings.authTimeoutMs(), TimeUnit.MILLISECONDS);
        long checkEvery = Math.max(10, Math.min(1000, settings.idleTimeoutMs() / 4));
        idleTimer = ctx.executor().scheduleAtFixedRate(this::checkIdle, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimers();
        session.closed();
        super.channelInactive(ctx);
    }

    /**
     * The client shut down its sending side (a half-close; {@link GwpServerInitializer} allows them):
     * nothing more will be read, so the frames in flight are answered and the connection closed
     * once the last answer is written, or at once when none is in flight. A frame cut short by the
     * end of the stream was refused by the decoder (ERROR 5), which closes the connection itself.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            cancelTimers();
            updateReading();
            // answers come within the confirm or request timeout; a client gone for good, or one
            // that does not read them, must not hold its connection past the drain timeout
            ctx.executor().schedule(() -> ctx.close(), settings.drainTimeoutMs() + CLOSE_GRACE_MS,
                    TimeUnit.MILLISECONDS);
            closeIfAnswered();
        }
        super.userEventTriggered(ctx, event);
    }

    /** After a half-close: closes once every frame read has its answer written (in order, after them). */
    private void closeIfAnswered() {
        if (inputShutdown && session.inFlight() == 0 && ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            // a client that does not read would hold the last answers, and so the connection, forever
            ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        lastFrameNanos = System.nanoTime();
        if (!session.authenticated()) {
            authenticate(message);
            return;
        }
        if (message instanceof PingFrame ping) {
            ctx.writeAndFlush(new PongFrame(ping.nonce()));
        } else if (message instanceof Envelope envelope && envelope.type() != FrameType.REPLY) {
            admit(ctx, envelope);
        } else if (message instanceof AuthFrame auth) {
            ctx.writeAndFlush(ErrorFrame.truncating(ErrorCode.NOT_ALLOWED, auth.messageId(),
                    "this connection is authenticated already; open a new connection for another key"));
        } else {
            closeWith(ErrorCode.MALFORMED_FRAME, "a client does not send " + ((Frame) message).type()
                    + " frames");
        }
    }

    private void authenticate(Object message) {
        if (!(message instanceof AuthFrame auth)) {
            closeWith(ErrorCode.AUTH_REQUIRED, "the first frame must be AUTH, not "
                    + ((Frame) message).type());
            return;
        }
        if (connections.draining()) {
            // admitted just before the drain began, its AUTH already read: an ACK would open a
            // session the drain closes with 105 anyway, so it gets the 105 now, as a new connection does
            closeWith(ErrorCode.SHUTTING_DOWN, GwpServerInitializer.SHUTTING_DOWN_TEXT);
            return;
        }
        String keySha256 = ApiKeyRing.sha256(auth.apiKey());
        if (titles.keys().titleOf(keySha256).isEmpty()) {
            LOG.debug("AUTH refused from {} ({}): unknown key", ctx.channel().remoteAddress(), auth.clientName());
            closeWith(auth.messageId(), ErrorCode.AUTH_FAILED, "unknown API key");
            return;
        }
        authTimer.cancel(false);
        session.authenticate(keySha256, auth.clientName(), connections.openOrder());
        ctx.writeAndFlush(new AckFrame(auth.messageId()));
    }

    private void admit(ChannelHandlerContext ctx, Envelope envelope) {
        if (connections.draining()) {
            ctx.writeAndFlush(ErrorFrame.truncating(ErrorCode.SHUTTING_DOWN, envelope.messageId(),
                    "the server is stopping; resend this to another instance"));
            return;
        }
        if (session.inFlight() >= settings.maxInFlight()) {
            ctx.writeAndFlush(ErrorFrame.truncating(ErrorCode.TOO_MANY_IN_FLIGHT, envelope.messageId(),
                    session.inFlight() + " frames are unanswered, the window is " + settings.maxInFlight()
                            + " (gamewire.tcp.max-in-flight); wait for answers before sending more"));
            return;
        }
        session.started();
        updateReading();
        if (envelope.type() == FrameType.EVENT) {
            // TcpEvents never fails its answer; should a bug make it, the frame still gets one, so
            // its place in the window (and the drain waiting for it) is never held for good
            events.answer(session, envelope).whenComplete((frame, failure) ->
                    answer(frame != null ? frame : TcpSteps.errorFrame(failure, envelope)));
        } else {
            ctx.fireChannelRead(envelope);
        }
    }

    /**
     * Writes an EVENT's answer from the pipeline's tail (so {@link #write} counts it), from whichever
     * thread the broker's confirm came on. An answer its client is no longer there for is counted
     * and logged at DEBUG, as the route's are ({@link LostAnswerLogging}).
     */
    private void answer(Frame frame) {
        ctx.channel().writeAndFlush(frame).addListener(written -> {
            if (!written.isSuccess()) {
                lostAnswers.handleException(LostAnswerLogging.WRITE_FAILED + " " + frame + " to "
                        + ctx.channel().remoteAddress(), written.cause());
            }
        });
    }

    /**
     * Answers to EVENTs ({@link #answer}) and from the route pass here (they are written from the
     * pipeline's tail); each ends one in-flight frame. The handler's own writes start below it and
     * are not counted. Netty runs this on the event loop whichever thread wrote.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        if (answersInFlightFrame(message)) {
            session.answered();
            updateReading();
            super.write(ctx, message, promise);
            closeIfAnswered();
            return;
        }
        super.write(ctx, message, promise);
    }

    private static boolean answersInFlightFrame(Object message) {
        return message instanceof AckFrame
                || (message instanceof Envelope envelope && envelope.type() == FrameType.REPLY)
                || (message instanceof ErrorFrame error && !error.messageId().equals(ErrorFrame.CONNECTION));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        updateReading();
        super.channelWritabilityChanged(ctx);
    }

    /** Reads while the window has room, the client takes its answers and the broker takes publishes. */
    void updateReading() {
        if (ctx == null) {
            return;
        }
        boolean read = !inputShutdown
                && session.inFlight() < settings.maxInFlight()
                && ctx.channel().isWritable()
                && !connections.brokerBlocked()
                && !connections.draining();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void checkIdle() {
        if (!session.authenticated() || session.inFlight() > 0 || connections.brokerBlocked()) {
            return;
        }
        long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFrameNanos);
        if (idleMs >= settings.idleTimeoutMs()) {
            closeWith(ErrorCode.IDLE_TIMEOUT, "no frame for " + idleMs + " ms (gamewire.tcp.idle-timeout-ms is "
                    + settings.idleTimeoutMs() + "); send PING to keep a connection open");
        }
    }

    /** Drain done or timed out: says why and closes. */
    void closeForShutdown() {
        closeWith(ErrorCode.SHUTTING_DOWN, "the server is stopping; reconnect and resend what was not ACKed");
    }

    private void closeWith(ErrorCode code, String text) {
        closeWith(ErrorFrame.CONNECTION, code, text);
    }

    private void closeWith(UUID messageId, ErrorCode code, String text) {
        cancelTimers();
        if (!ctx.channel().isActive()) {
            return;
        }
        LOG.debug("Closing {} ({}): {} {}", ctx.channel().remoteAddress(), session.clientName(), code, text);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(ErrorFrame.truncating(code, messageId, text)).addListener(ChannelFutureListener.CLOSE);
        // a client that does not read would hold the ERROR, and so the connection, forever
        ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
    }
}
