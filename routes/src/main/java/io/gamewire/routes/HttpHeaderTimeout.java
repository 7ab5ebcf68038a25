package io.gamewire.routes;

import io.gamewire.camel.ContextEventNotifier;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.CamelEvent;

/**
 * Closes an HTTP connection that has not sent a whole request's headers within
 * {@code gamewire.http.header-timeout-ms}: from when it connects, and again from the end of each
 * answer while it is kept alive. This is the slow loris before the body (nothing sent, or headers
 * trickled a byte at a time) and the idle kept-alive connection; {@link HttpBodyTimeout} takes over
 * once the headers are in. The connection is closed without an answer (HTTP/2: {@code GOAWAY}), as
 * nginx's {@code client_header_timeout} does: before its first request's headers are in, Vert.x has
 * not made the connection yet, so there is nothing to answer through.
 *
 * <p>With {@code gamewire.http.tls}, the TLS handshake is bounded by the same timeout when it is
 * shorter than Vert.x's own handshake timeout (10 s), and by that otherwise: the idle timeout below
 * starts only after the handshake.
 *
 * <p>Only the time without a request is counted: while a request is open (its body arriving, its
 * answer being computed or streamed, however slowly the client reads: the live tail) the connection
 * is never cut here. Vert.x's own idle timeout over the whole connection would cut a long
 * computation, which is silent both ways.
 *
 * <p>How it reaches the connections: platform-http gives no hook on its server's options or
 * connections ({@link ServerShapingVertx} explains the one seam). Until a connection's first
 * request's headers are in, Vert.x's idle timeout, set to this timeout, does the job: before the
 * first byte it counts silence, and from the first byte (HTTP/1.x) it sits behind the request
 * decoder, which passes nothing on before the headers are whole, so a trickle does not reset it.
 * Vert.x hands the connection to the server's connection handler with its first request (HTTP/2:
 * once it is set up); from then on this class times it, with Vert.x's idle handler removed, and
 * every request passes {@link #requestHeadersIn} first on the router ({@link MainServerFront}).
 * Everything runs on the connection's event loop.
 */
public final class HttpHeaderTimeout {

    static final String SETTING = "gamewire.http.header-timeout-ms";
    /** Every path: any request counts as the headers having come. */
    static final String PATH = "/*";
    /** The name Vert.x gives its idle handler in the connection's pipeline. */
    private static final String VERTX_IDLE_HANDLER = "idle";
    private static final AttributeKey<Deadline> DEADLINE = AttributeKey.valueOf(HttpHeaderTimeout.class, "deadline");

    private final long timeoutMs;

    HttpHeaderTimeout(long timeoutMs) {
        if (timeoutMs <= 0 || timeoutMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(SETTING + " must be from 1 to " + Integer.MAX_VALUE
                    + " to time request headers, is " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
    }

    /**
     * Puts the timeout on the HTTP server of {@code port}: binds the Vert.x platform-http takes, made
     * from {@code options}, and puts the request hook on the router. With {@code timeoutMs} 0 there is
     * none. Camel fails to start if the server was not made through that Vert.x (another
     * {@link Vertx} bean).
     */
    public static void install(CamelContext camel, int port, long timeoutMs, VertxOptions options) throws Exception {
        if (timeoutMs <= 0) {
            return;
        }
        HttpHeaderTimeout timeout = new HttpHeaderTimeout(timeoutMs);
        ServerShapingVertx vertx = ServerShapingVertx.wrap(Vertx.vertx(options), timeout.shaper());
        camel.getRegistry().bind("gamewireHttpVertx", Vertx.class, vertx.vertx());
        // platform-http closes only a Vert.x it made itself, not one it looked up (this one); so it
        // is closed here once the whole context has stopped (the server with it), or failed to
        // start, so that its threads do not keep an in-process JVM alive
        camel.getManagementStrategy().addEventNotifier(new ContextEventNotifier() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppedEvent
                        || event instanceof CamelEvent.CamelContextStartupFailureEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                vertx.vertx().close();
            }
        });
        MainServerFront.install(camel, port, PATH, timeout::requestHeadersIn);
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                if (vertx.shapedServers() == 0) {
                    throw new IllegalStateException("the HTTP server of port " + port + " was not made through"
                            + " gamewire's Vert.x, so " + SETTING + " is not in force; is another Vert.x bound?");
                }
            }
        });
    }

    /** Shapes a server: Vert.x's idle timeout for the silent, then the deadline per connection. */
    ServerShapingVertx.Shaper shaper() {
        return new ServerShapingVertx.Shaper() {
            @Override
            public void options(HttpServerOptions options) {
                options.setIdleTimeout((int) timeoutMs).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
                // with TLS, Vert.x adds its idle handler only once the handshake is done: until then
                // only the handshake timeout bounds a client that stays silent or trickles its
                // ClientHello. A header timeout shorter than Vert.x's (10 s) shortens it; a longer one
                // (the default 60 s) must not lengthen it
                long handshakeMs = Math.min(timeoutMs, TimeUnit.MILLISECONDS.convert(
                        HttpServerOptions.DEFAULT_SSL_HANDSHAKE_TIMEOUT, HttpServerOptions.DEFAULT_SSL_HANDSHAKE_TIMEOUT_TIME_UNIT));
                options.setSslHandshakeTimeout(handshakeMs).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
            }

            @Override
            public void server(HttpServer server) {
                server.connectionHandler(HttpHeaderTimeout.this::connected);
            }
        };
    }

    /** Vert.x made the connection (HTTP/1.x: its first request's headers are in): the deadline takes over. */
    void connected(HttpConnection connection) {
        Channel channel = ((ConnectionBase) connection).channel();
        Deadline deadline = channel.attr(DEADLINE).get();
        if (deadline == null) {
            deadline = new Deadline(channel);
            channel.attr(DEADLINE).set(deadline);
            // a closed connection's timer would keep the channel for up to the timeout
            channel.closeFuture().addListener(closed -> channel.attr(DEADLINE).get().cancel());
            deadline.arm();
        }
        deadline.connection = connection; // an h2c upgrade hands out the HTTP/2 connection of the same channel
        // HTTP/2 adds its idle handler after announcing the connection, so it is removed once the set-up is done
        channel.eventLoop().execute(() -> {
            if (channel.pipeline().get(VERTX_IDLE_HANDLER) != null) {
                channel.pipeline().remove(VERTX_IDLE_HANDLER);
            }
        });
    }

    /** A request's headers are in: the connection is not timed until its answer ends. */
    void requestHeadersIn(RoutingContext request) {
        Deadline deadline = ((ConnectionBase) request.request().connection()).channel().attr(DEADLINE).get();
        if (deadline != null) { // null: a server this timeout did not shape (a test's)
            deadline.onLoop(deadline::requestOpened);
            // the answer may end on a route's worker thread; the deadline lives on the event loop
            request.addEndHandler(ended -> deadline.onLoop(deadline::requestClosed));
        }
        request.next();
    }

    /** The time a connection has to send a request's headers, while none is open. */
    private final class Deadline {
        private final Channel channel;
        private HttpConnection connection;
        private int openRequests;
        private ScheduledFuture<?> timer;

        Deadline(Channel channel) {
            this.channel = channel;
        }

        void onLoop(Runnable step) {
            if (channel.eventLoop().inEventLoop()) {
                step.run();
            } else {
                channel.eventLoop().execute(step);
            }
        }

        void arm() {
            cancel();
            if (channel.isActive()) {
                timer = channel.eventLoop().schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
            }
        }

        void requestOpened() {
            openRequests++;
            cancel();
        }

        void requestClosed() {
            openRequests--;
            if (openRequests == 0) {
                arm();
            }
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void expire() {
            timer = null;
            if (openRequests == 0 && channel.isActive()) {
                connection.close();
            }
        }
    }
}
