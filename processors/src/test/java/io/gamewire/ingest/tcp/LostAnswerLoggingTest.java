package io.gamewire.ingest.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.apache.camel.CamelExchangeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LostAnswerLoggingTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(LostAnswerLogging.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final LostAnswerLogging handler = new LostAnswerLogging();

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    @Test
    void anAnswerToAClientThatResetOrClosedIsCountedWithoutAWarning() {
        // what camel-netty's ServerResponseFutureListener hands over: the exchange's exception
        handler.handleException(new CamelExchangeException("Cannot write response to /127.0.0.1:5555", null,
                new IOException("Connection reset by peer")));
        handler.handleException(new CamelExchangeException("Cannot write response to /127.0.0.1:5556", null,
                new ClosedChannelException()));
        handler.handleException(new CamelExchangeException("Cannot write response to /127.0.0.1:5557", null,
                new java.net.SocketException("Broken pipe (Write failed)")));

        assertThat(handler.lostAnswers()).isEqualTo(3);
        assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.INFO));
    }

    @Test
    void aReadSideResetIsQuietButNoLostAnswer() {
        // ServerChannelHandler.exceptionCaught: the client reset a connection owed nothing
        handler.handleException("Closing channel as an exception was thrown from Netty",
                new IOException("Connection reset by peer"));

        assertThat(handler.lostAnswers()).isZero();
        assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.INFO));
    }

    @Test
    void theCountIsTheMeterGamewireTcpAnswersLost() {
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        LostAnswerLogging counted = new LostAnswerLogging().registerIn(meters);
        counted.handleException(new CamelExchangeException("Cannot write response to /127.0.0.1:5555", null,
                new ClosedChannelException()));

        assertThat(meters.get("gamewire.tcp.answers.lost").functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void anyOtherFailureIsAWarningWithItsStackTrace() {
        handler.handleException("decoding failed", null, new IllegalStateException("not a frame"));
        handler.handleException("write", new IOException("No buffer space available"));

        assertThat(handler.lostAnswers()).isZero();
        assertThat(logged.list).hasSize(2).allMatch(event -> event.getLevel() == Level.WARN)
                .allMatch(event -> event.getThrowableProxy() != null);
        assertThat(logged.list.get(0).getFormattedMessage()).contains("decoding failed");
    }
}
