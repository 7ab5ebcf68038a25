package io.gamewire.routes;

import static io.gamewire.routes.RouteFixtures.trail;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.ingest.http.RequestRefusedException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP API's routes ({@link EventHttpRoutes}) with their failures answered by the route
 * configuration {@link HttpApiErrors}, every step stubbed. Camel inlines each {@code direct:} route
 * into the REST verb that calls it ({@code rest.inlineRoutes}, on by default): the route
 * {@code http-ingest-event} consumes from the platform-http endpoint of
 * {@code POST /v1/events/{routingKey}} itself, and that consumer is replaced here by the
 * {@code direct:} endpoint the route is written with.
 */
@CamelMainTest(replaceRouteFromWith = {
        "http-ingest-event=direct:http-ingest-event", "http-ingest-batch=direct:http-ingest-batch",
        "http-query=direct:http-query", "http-read-event=direct:http-read-event"})
class EventHttpRoutesTest {

    @BeanInject
    CamelContext camel;
    @EndpointInject("mock:admit")
    MockEndpoint admit;
    @EndpointInject("mock:publishAndConfirm")
    MockEndpoint publishAndConfirm;
    @EndpointInject("mock:httpAnswerAccepted")
    MockEndpoint answerAccepted;
    @Produce
    ProducerTemplate client;

    @Configure
    void routes(MainConfigurationProperties main) {
        main.addConfiguration(RouteFixtures.stubSteps(
                "httpReadEvent", "admit", "publishAndConfirm", "httpAnswerAccepted",
                "httpReadBatch", "httpPublishBatch", "httpAnswerResults",
                "httpReadRequest", "requestAndAwaitReply", "httpAnswerReply",
                "eventReader"));
        main.addRoutesBuilder(new HttpApiErrors());
        main.addRoutesBuilder(new EventHttpRoutes());
    }

    private Exchange postEvent() {
        return client.send("direct:http-ingest-event", exchange -> exchange.getMessage().setBody("{\"map\":\"Lockout\"}"));
    }

    @Test
    void anEventIsReadAdmittedPublishedAndConfirmedThenAccepted() {
        answerAccepted.whenAnyExchangeReceived(exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            exchange.getMessage().setBody("{\"messageId\":\"m-1\"}");
        });

        Exchange done = postEvent();

        assertThat(trail(done)).containsExactly("httpReadEvent", "admit", "publishAndConfirm", "httpAnswerAccepted");
        assertThat(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
        assertThat(done.getMessage().getBody(String.class)).isEqualTo("{\"messageId\":\"m-1\"}");
    }

    @Test
    void aRefusalByAdmitIsAnsweredWithItsStatusAndNothingIsPublished() throws Exception {
        admit.whenAnyExchangeReceived(exchange -> {
            throw new RefusedException(Refusal.RATE_LIMITED, "key over its rate of 100 events/s", 7, null);
        });

        Exchange done = postEvent();

        assertThat(trail(done)).containsExactly("httpReadEvent", "admit");
        assertThat(publishAndConfirm.getReceivedCounter()).isZero();
        HttpAnswers.assertProblem(done, 429, "key over its rate of 100 events/s");
        assertThat(done.getMessage().getHeader("Retry-After")).isEqualTo("7");
    }

    @Test
    void aFailureThatIsNoRefusalIsAnswered500() throws Exception {
        publishAndConfirm.whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("publisher closed");
        });

        Exchange done = postEvent();

        assertThat(trail(done)).containsExactly("httpReadEvent", "admit", "publishAndConfirm");
        HttpAnswers.assertProblem(done, 500, "internal error: java.lang.IllegalStateException: publisher closed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "direct:http-ingest-event, httpReadEvent",
            "direct:http-ingest-batch, httpReadBatch",
            "direct:http-query,        httpReadRequest",
            "direct:http-read-event,   eventReader"})
    void everyRouteAnswersARefusedRequestWithItsStatus(String route, String firstStep) throws Exception {
        MockEndpoint.resolve(camel, "mock:" + firstStep).whenAnyExchangeReceived(exchange -> {
            throw new RequestRefusedException(413, "the body is over gamewire.http.max-body-bytes");
        });

        Exchange done = client.send(route, exchange -> exchange.getMessage().setBody("{}"));

        assertThat(trail(done)).containsExactly(firstStep);
        HttpAnswers.assertProblem(done, 413, "the body is over gamewire.http.max-body-bytes");
    }
}
