package io.gamewire.routes;

import io.gamewire.ingest.http.HttpProblems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;

/**
 * Answers {@code 408} and closes the connection (HTTP/2: the stream) when a request's body has not
 * all arrived within {@code gamewire.http.body-timeout-ms} of its headers: a client that trickles its
 * body (slow loris) or stalls after the headers would otherwise hold its connection and its
 * half-read body for ever,
 * since platform-http's server has no timeout of its own (Vert.x's idle timeout is 0, never). The
 * request never reaches a route, so nothing of it is published.
 *
 * <p>Only the arrival of the request body is timed, not the answer: a request whose body is in (every
 * GET at once) is never cut, however long its answer takes or however slowly the client reads it
 * (the live tail's Server-Sent Events, a query waiting for its reply). Vert.x Web's
 * {@code TimeoutHandler} times the whole exchange up to the end of the answer, so it would cut
 * those; it answers through the failure handlers (503, HTML) and leaves the connection open.
 *
 * <p>Runs on the connection's event loop, like the timer it sets; the timer is cancelled when the
 * answer ends.
 */
public final class HttpBodyTimeout implements Handler<RoutingContext> {

    /** Every path of the server: the API, the admin API and the console all take bodies. */
    static final String PATH = "/*";
    static final String SETTING = "gamewire.http.body-timeout-ms";

    private final long timeoutMs;

    /**
     * Puts the timeout in front of every route of the HTTP server of {@code port}; with
     * {@code timeoutMs} 0 there is none.
     */
    public static void install(CamelContext camel, int port, long timeoutMs) {
        if (timeoutMs > 0) {
            MainServerFront.install(camel, port, PATH, new HttpBodyTimeout(timeoutMs));
        }
    }

    HttpBodyTimeout(long timeoutMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException(SETTING + " must be positive to time bodies, is " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void handle(RoutingContext request) {
        if (!request.request().isEnded()) {
            long timer = request.vertx().setTimer(timeoutMs, fired -> expire(request));
            request.addEndHandler(answered -> request.vertx().cancelTimer(timer));
        }
        request.next();
    }

    private void expire(RoutingContext request) {
        HttpServerRequest http = request.request();
        HttpServerResponse response = request.response();
        if (http.isEnded() || response.ended()) {
            return; // the body came in time: what takes long now is the answer, not the client
        }
        // the body handler fails the request when its connection closes, which the router logs as an
        // error; this close is ours and expected, and one log line per slow client would let them flood the log
        http.exceptionHandler(closed -> { });
        if (response.headWritten()) {
            close(http); // too late for a 408; still, the body will not come
            return;
        }
        response.setStatusCode(408).putHeader("Content-Type", "application/json");
        if (http.version() != HttpVersion.HTTP_2) {
            response.putHeader("Connection", "close"); // HTTP/2 forbids the header: its streams end alone
        }
        response.end(HttpProblems.body(408, message(http, timeoutMs)))
                .onComplete(written -> close(http));
    }

    /** "… 5 of its 100 bytes came"; without a Content-Length (chunked), only what came. */
    static String message(HttpServerRequest http, long timeoutMs) {
        String length = http.getHeader("Content-Length");
        String came = length == null ? http.bytesRead() + " bytes came" : http.bytesRead() + " of its " + length
                + " bytes came";
        return "the request body did not arrive within " + timeoutMs + " ms of its headers (" + SETTING + "): "
                + came + "; send the whole body without pausing";
    }

    /**
     * HTTP/1.x: the connection goes, with the rest of the body. HTTP/2 (h2c): the connection carries
     * other requests, so only this stream is reset, with NO_ERROR after the complete answer, which
     * asks the client to stop sending the body (RFC 9113, section 8.1).
     */
    static void close(HttpServerRequest http) {
        if (http.version() == HttpVersion.HTTP_2) {
            http.response().reset(0);
        } else {
            http.connection().close();
        }
    }
}
