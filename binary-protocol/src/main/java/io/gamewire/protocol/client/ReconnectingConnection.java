package io.gamewire.protocol.client;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.AuthFrame;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.PingFrame;
import io.gamewire.protocol.PongFrame;
import io.gamewire.protocol.netty.GwpFrameDecoder;
import io.gamewire.protocol.netty.GwpFrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated connection to a gamewire server at a time: connects, sends AUTH and waits for
 * its ACK, answers PING with PONG, and after a lost connection connects again with back-off, for
 * as long as it is not closed. Frames other than those go to the {@link Listener}.
 *
 * <p>Everything here runs on one event loop, the one every channel of this connection is
 * registered with, so the state needs no lock; methods other than {@link #start()} must be called
 * on that loop.
 *
 * <p>It stays one class (about 300 lines): connecting, AUTH, the in-flight window and resending
 * after a reconnect share one state machine and one lock, and splitting them would spread that
 * state over several classes.
 */
final class ReconnectingConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingConnection.class);

    /** What the owner of the connection hears about, on the event loop. */
    interface Listener {

        /** AUTH was accepted on a new connection: frames can be written from now on. */
        void authenticated();

        /** A frame from the server other than the answer to AUTH and a PING. */
        void received(Frame frame);

        /** No connection will be made any more: the first attempt failed, or the API key was refused. */
        void failed(Throwable cause);
    }

    private enum State {
        NEW,
        CONNECTING,
        AUTHENTICATING,
        READY,
        WAITING_TO_RECONNECT,
        CLOSED
    }

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    private final String apiKey;
    private final String clientName;
    private final Duration connectTimeout;
    private final ReconnectBackoff backoff;
    private final Listener listener;
    private final CompletableFuture<Void> firstAuthentication = new CompletableFuture<>();

    private State state = State.NEW;
    private Channel channel;
    /** What broke the current connection, if an exception did (read on the loop when it closes). */
    private Throwable transportFailure;
    private UUID authId;
    /** The AUTH timeout while authenticating, the back-off delay while waiting to reconnect. */
    private ScheduledFuture<?> timer;
    private int failedAttempts;
    /** An ERROR about the whole connection, which the server sends just before it closes it. */
    private ErrorFrame connectionError;

    /** @param tls the client's TLS context, or null for plaintext */
    ReconnectingConnection(EventLoopGroup group, String host, int port, String apiKey, String clientName,
                           Duration connectTimeout, ReconnectBackoff backoff, GwpLimits limits, SslContext tls,
                           Listener listener) {
        this.loop = group.next();
        this.host = host;
        this.port = port;
        this.apiKey = apiKey;
        this.clientName = clientName;
        this.connectTimeout = connectTimeout;
        this.backoff = backoff;
        this.listener = listener;
        GwpFrameEncoder encoder = limits.equals(GwpLimits.DEFAULTS) ? GwpFrameEncoder.INSTANCE : new GwpFrameEncoder(limits);
        InboundHandler inbound = new InboundHandler();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", verifyingHostName(tls.newHandler(ch.alloc(), host, port)));
                        }
                        ch.pipeline().addLast(new GwpFrameDecoder(limits), encoder, inbound);
                    }
                });
    }

    /** The server's certificate must name the host connected to, as HTTPS clients check it. */
    private static SslHandler verifyingHostName(SslHandler handler) {
        SSLParameters parameters = handler.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        handler.engine().setSSLParameters(parameters);
        return handler;
    }

    EventLoop loop() {
        return loop;
    }

    String address() {
        return host + ":" + port;
    }

    /**
     * Makes the first connection, unless that was done already.
     *
     * @return completes when the first AUTH is acknowledged; fails when the first connection or its
     *         AUTH fails, after which no further attempt is made
     */
    CompletableFuture<Void> start() {
        try {
            loop.execute(() -> {
                if (state == State.NEW) {
                    connect();
                }
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("GamewireClient is closed", e));
        }
        // a future of our own for the caller, so that completing it cannot change our state
        CompletableFuture<Void> result = new CompletableFuture<>();
        firstAuthentication.whenComplete((ignored, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    boolean isReady() {
        return state == State.READY;
    }

    /** Writes without flushing; only when {@link #isReady()}. */
    void write(Frame frame) {
        channel.write(frame);
    }

    void flush() {
        channel.flush();
    }

    /** Stops: closes the connection and makes no further attempt. */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancelTimer();
        if (channel != null) {
            channel.close();
        }
    }

    private void connect() {
        state = State.CONNECTING;
        connectionError = null;
        bootstrap.connect(host, port).addListener((ChannelFuture attempt) -> connected(attempt));
    }

    private void connected(ChannelFuture attempt) {
        if (state == State.CLOSED) {
            attempt.channel().close();
            return;
        }
        if (!attempt.isSuccess()) {
            lost(attempt.cause());
            return;
        }
        Channel connected = attempt.channel();
        channel = connected;
        connected.closeFuture().addListener(closed -> disconnected(connected));
        state = State.AUTHENTICATING;
        authId = MessageIds.next();
        connected.writeAndFlush(new AuthFrame(authId, apiKey, clientName));
        timer = loop.schedule(() -> authTimedOut(connected), connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void received(Channel from, Frame frame) {
        if (from != channel) {
            return; // from a connection already given up
        }
        if (frame instanceof PingFrame ping) {
            from.writeAndFlush(new PongFrame(ping.nonce()));
        } else if (state == State.AUTHENTICATING && frame instanceof AckFrame ack && ack.messageId().equals(authId)) {
            authenticated();
        } else if (state == State.AUTHENTICATING && frame instanceof ErrorFrame error && error.messageId().equals(authId)) {
            refused(error);
        } else if (frame instanceof ErrorFrame error && error.messageId().equals(ErrorFrame.CONNECTION)) {
            // the server closes the connection after this: keep it as the reason
            connectionError = error;
            LOG.warn("gamewire server {} refused the connection: {}", address(), error);
        } else {
            listener.received(frame);
        }
    }

    private void authenticated() {
        cancelTimer();
        state = State.READY;
        failedAttempts = 0;
        LOG.debug("Connected and authenticated to gamewire server {}", address());
        firstAuthentication.complete(null);
        listener.authenticated();
    }

    private void refused(ErrorFrame error) {
        GwpErrorException refusal = new GwpErrorException(error);
        if (!firstAuthentication.isDone() || error.knownCode() == ErrorCode.AUTH_FAILED) {
            // a wrong or revoked key stays wrong: retrying would only hammer the server
            giveUp(refusal);
        } else {
            LOG.warn("gamewire server {} refused AUTH: {}", address(), refusal.getMessage());
            channel.close();
        }
    }

    private void authTimedOut(Channel authenticating) {
        if (authenticating != channel || state != State.AUTHENTICATING) {
            return;
        }
        TimeoutException timeout = new TimeoutException("gamewire server " + address()
                + " did not answer AUTH within " + connectTimeout.toMillis() + " ms (connect timeout)");
        if (!firstAuthentication.isDone()) {
            giveUp(timeout);
        } else {
            LOG.warn(timeout.getMessage());
            authenticating.close();
        }
    }

    private void disconnected(Channel closed) {
        if (closed != channel) {
            return;
        }
        channel = null;
        cancelTimer();
        if (state == State.CLOSED) {
            return;
        }
        Throwable transport = transportFailure;
        transportFailure = null;
        lost(connectionError != null ? new GwpErrorException(connectionError)
                : new IOException("connection to gamewire server " + address() + " was closed"
                        + (transport == null ? "" : " after " + transport), transport));
    }

    /** A connection attempt failed or an established connection was lost. */
    private void lost(Throwable cause) {
        if (!firstAuthentication.isDone()) {
            giveUp(cause);
            return;
        }
        Duration delay = backoff.delay(failedAttempts++);
        LOG.warn("No connection to gamewire server {} ({}); attempt {} in {} ms", address(), cause.getMessage(),
                failedAttempts, delay.toMillis());
        state = State.WAITING_TO_RECONNECT;
        timer = loop.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void giveUp(Throwable cause) {
        close();
        listener.failed(cause); // first, so that whoever waits on connect() finds the client closed
        firstAuthentication.completeExceptionally(cause);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Passes a connection's frames to {@link #received}; one instance serves every connection. */
    @Sharable
    private final class InboundHandler extends SimpleChannelInboundHandler<Frame> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            received(ctx.channel(), frame);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a reset or broken connection, or a failed TLS handshake: closing it leads to a reconnect,
            // and the failure is what the loss reports (a bad certificate must not look like a reset)
            LOG.debug("Closing the connection to gamewire server {} after: {}", address(), cause.toString());
            if (ctx.channel() == channel) {
                transportFailure = cause;
            }
            ctx.close();
        }
    }
}
