package io.gamewire.ingest.tcp;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP consumer's exception handler ({@code exceptionHandler=#tcpExceptionHandler} on the
 * {@code tcp-ingest} endpoint): what camel-netty reports outside the route, an answer (ERROR,
 * REPLY) that could not be written, or a connection's read side failing; and the EVENT answers
 * (ACK, ERROR) that {@link GwpSessionHandler} writes itself and could not.
 *
 * <p>When the cause is that the client went away (closed, reset, a broken pipe), there is nothing
 * for an operator to do: the client resends what it saw no ACK for, with the same message id, so
 * nothing is lost. Camel's own handler logs each such failure as a warning with a stack trace
 * unless a {@code ClosedChannelException} is among its causes: 50 clients that sent and reset
 * without reading wrote 5,437 stack traces (24 MB of log) in one minute of the memory soak. Here
 * they are logged at DEBUG, and the answers among them counted ({@link #lostAnswers()}, the meter
 * {@code gamewire.tcp.answers.lost}). Anything else stays a warning with its stack trace.
 */
public final class LostAnswerLogging implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LostAnswerLogging.class);
    /** How camel-netty's response listener (and {@link GwpSessionHandler}) names an answer it could not write. */
    static final String WRITE_FAILED = "Cannot write response";
    /** The JDK's and Netty's words for a connection its peer ended (as Netty's own check reads them). */
    private static final Pattern PEER_GONE = Pattern.compile(
            "(?i).*(connection.*(reset|closed|abort)|broken.*pipe).*");

    private final AtomicLong lostAnswers = new AtomicLong();

    /** Registers {@code gamewire.tcp.answers.lost}, the answers not written because their client had gone. */
    public LostAnswerLogging registerIn(MeterRegistry meters) {
        FunctionCounter.builder("gamewire.tcp.answers.lost", lostAnswers, AtomicLong::get)
                .description("TCP answers (ACK, ERROR, REPLY) not written because the client had closed or reset"
                        + " the connection; the client resends what it saw no ACK for")
                .register(meters);
        return this;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String text = CamelExchangeException.createExceptionMessage(message, exchange, exception);
        if (!peerGone(exception)) {
            LOG.warn(text, exception);
        } else if (answerNotWritten(message, exception)) {
            long lost = lostAnswers.incrementAndGet();
            LOG.debug("answer not written, the client went away ({} so far): {}", lost, text);
        } else {
            LOG.debug("the client went away: {}", text);
        }
    }

    /** Answers not written because their client had gone, since the start. */
    public long lostAnswers() {
        return lostAnswers.get();
    }

    /** Whether {@code exception} says the connection's other end is gone: closed, reset or a broken pipe. */
    static boolean peerGone(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClosedChannelException) {
                return true;
            }
            if ((cause instanceof SocketException || cause instanceof IOException) && cause.getMessage() != null
                    && PEER_GONE.matcher(cause.getMessage()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure is an answer camel-netty could not write (not the read side's end). */
    static boolean answerNotWritten(String message, Throwable exception) {
        if (message != null && message.startsWith(WRITE_FAILED)) {
            return true;
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof CamelExchangeException && cause.getMessage() != null
                    && cause.getMessage().startsWith(WRITE_FAILED)) {
                return true;
            }
        }
        return false;
    }
}
