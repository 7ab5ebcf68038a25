package io.gamewire.routes;

import static io.gamewire.routes.RouteFixtures.envelope;
import static io.gamewire.routes.RouteFixtures.trail;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.ingest.tcp.TcpSteps;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.FrameType;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GWP TCP route ({@link TcpIngestRoutes}), its netty consumer replaced by {@code direct:} and
 * every step stubbed: the body the route ends with is what the consumer writes back to the client.
 * Only REQUESTs reach it (EVENTs are answered in the pipeline: {@code TcpEventsTest}).
 */
@CamelMainTest(replaceRouteFromWith = "tcp-ingest=direct:tcp")
class TcpIngestRoutesTest {

    private static final String KEY = "halo.prod.stats.match_end";

    @BeanInject
    CamelContext camel;
    @EndpointInject("mock:tcpReadFrame")
    MockEndpoint readFrame;
    @EndpointInject("mock:requestAndAwaitReply")
    MockEndpoint requestAndAwaitReply;
    @EndpointInject("mock:tcpAnswerError")
    MockEndpoint answerError;
    @Produce("direct:tcp")
    ProducerTemplate connection;

    @Configure
    void routes(MainConfigurationProperties main) {
        main.addConfiguration(RouteFixtures.stubSteps("tcpReadFrame", "admit", "requestAndAwaitReply",
                "tcpAnswerError"));
        main.addRoutesBuilder(new TcpIngestRoutes());
    }

    @BeforeEach
    void start() throws Exception {
        // the real step also takes the connection's API key from the Netty channel
        readFrame.whenAnyExchangeReceived(exchange ->
                exchange.setProperty(TcpSteps.FRAME, exchange.getMessage().getBody(Envelope.class)));
        answerError.whenAnyExchangeReceived(exchange -> exchange.getMessage().setBody(new ErrorFrame(
                ErrorCode.INTERNAL_ERROR, exchange.getProperty(TcpSteps.FRAME, Envelope.class).messageId(), "failed")));
        // the application starts the route once the title files are loaded
        camel.getRouteController().startRoute(TcpIngestRoutes.ROUTE_ID);
    }

    private Exchange receive(Envelope frame) {
        return connection.send(exchange -> exchange.getMessage().setBody(frame));
    }

    @Test
    void aRequestIsAnsweredWithItsReply() {
        Envelope request = envelope(FrameType.REQUEST, KEY, "{}");
        Envelope reply = RouteFixtures.reply(request.messageId(), KEY, "{\"wins\":3}");
        requestAndAwaitReply.whenAnyExchangeReceived(exchange -> exchange.getMessage().setBody(reply));

        Exchange done = receive(request);

        assertThat(trail(done)).containsExactly("tcpReadFrame", "admit", "requestAndAwaitReply");
        assertThat(done.getMessage().getBody()).isSameAs(reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {"admit", "requestAndAwaitReply"})
    void aFailedStepIsAnsweredWithAnErrorFrame(String failing) {
        RefusedException failure = new RefusedException(Refusal.REQUEST_TIMEOUT, "no reply");
        MockEndpoint.resolve(camel, "mock:" + failing).whenAnyExchangeReceived(exchange -> {
            throw failure;
        });
        Envelope request = envelope(FrameType.REQUEST, KEY, "{}");

        Exchange done = receive(request);

        assertThat(done.getException()).as("caught: every frame gets an answer").isNull();
        assertThat(trail(done)).endsWith(failing, "tcpAnswerError");
        assertThat(answerError.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT)).isSameAs(failure);
        assertThat(done.getMessage().getBody()).isEqualTo(
                new ErrorFrame(ErrorCode.INTERNAL_ERROR, request.messageId(), "failed"));
    }
}
