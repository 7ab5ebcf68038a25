package io.gamewire.routes;

import static io.gamewire.routes.RouteFixtures.decode;
import static io.gamewire.routes.RouteFixtures.encode;
import static io.gamewire.routes.RouteFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.camel.GwpHeaders;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.sinks.SinkStoppedException;
import io.gamewire.titles.CommandNotDefinedException;
import io.gamewire.titles.TitleNotInForceException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Channel;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.IdAware;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.Test;

/**
 * The route template {@code service-consumer}, one route made from it as {@code TitleDeployer}
 * makes them, its spring-rabbitmq consumer replaced by {@code direct:} and its steps stubbed. The
 * ack step goes (it needs the AMQP channel): what it would do is the exchange's outcome, an ack
 * when the exchange completes, a nack back to the queue when it fails.
 */
@CamelMainTest(
        properties = {"gamewire.store.retry-delay-ms=1", "gamewire.store.max-retry-delay-ms=2"},
        advices = @AdviceRouteMapping(route = ServiceConsumerRoutesTest.ROUTE,
                advice = ServiceConsumerRoutesTest.ConsumeFromDirect.class))
class ServiceConsumerRoutesTest {

    static final String ROUTE = "store-t.prod.s";
    private static final String QUEUE = "t.prod.s";
    private static final String KEY = QUEUE + ".match_end";
    private static final int RETRIES = 2;

    @EndpointInject("mock:eventStoreProcessor")
    MockEndpoint store;
    @EndpointInject("mock:queryResponder")
    MockEndpoint queryResponder;
    @EndpointInject("mock:deadLetters")
    MockEndpoint deadLetters;
    @Produce("direct:consume")
    ProducerTemplate queue;
    @BeanInject
    CamelContext camel;

    @Configure
    void routes(MainConfigurationProperties main) {
        main.addConfiguration(RouteFixtures.stubSteps("eventStoreProcessor", "queryResponder", "deadLetters"));
        main.addRoutesBuilder(new ServiceConsumerRoutes());
        main.addRoutesBuilder(RouteFixtures.fromTemplate(ServiceConsumerRoutes.TEMPLATE, ROUTE, Map.of(
                "queue", QUEUE, "minConsumers", 1, "maxConsumers", 2, "prefetch", 10, "retries", RETRIES)));
    }

    static class ConsumeFromDirect extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            replaceFromWith("direct:consume");
            // the node id as the template names it: the route's prefix is added when the route is made
            weaveById("ack-on-completion").remove();
        }
    }

    private Exchange consume(byte[] body) {
        return queue.send(exchange -> exchange.getMessage().setBody(body));
    }

    private void storeFailsWith(Exception failure) {
        store.whenAnyExchangeReceived(exchange -> {
            throw failure;
        });
    }

    @Test
    void anEventIsHandedToTheStoreDecoded() throws Exception {
        Exchange done = consume(encode(envelope(FrameType.EVENT, KEY, "{\"map\":\"Blood Gulch\"}")));

        assertThat(done.getException()).isNull();
        assertThat(store.getReceivedCounter()).isEqualTo(1);
        Exchange stored = store.getReceivedExchanges().get(0);
        assertThat(stored.getMessage().getHeader(GwpHeaders.ROUTING_KEY)).isEqualTo(KEY);
        assertThat(stored.getMessage().getBody(String.class)).isEqualTo("{\"map\":\"Blood Gulch\"}");
        assertThat(queryResponder.getReceivedCounter()).isZero();
        assertThat(deadLetters.getReceivedCounter()).isZero();
    }

    @Test
    void aRequestIsAnsweredWithAMarshalledReplyAndNotStored() throws Exception {
        Envelope request = envelope(FrameType.REQUEST, KEY, "{\"player\":\"p1\"}");
        queryResponder.whenAnyExchangeReceived(exchange -> {
            exchange.getMessage().setBody("{\"wins\":3}");
            exchange.getMessage().setHeader(GwpHeaders.FRAME_TYPE, FrameType.REPLY.name());
            exchange.getMessage().setHeader(GwpHeaders.CORRELATION_ID, request.messageId().toString());
        });

        Exchange done = consume(encode(request));

        assertThat(done.getException()).isNull();
        Envelope reply = decode(done.getMessage().getBody(byte[].class));
        assertThat(reply.type()).isEqualTo(FrameType.REPLY);
        assertThat(reply.correlationId()).isEqualTo(request.messageId());
        assertThat(RouteFixtures.payload(reply)).isEqualTo("{\"wins\":3}");
        assertThat(store.getReceivedCounter()).isZero();
    }

    @Test
    void aMalformedFrameIsDeadLetteredAtOnceWithTheBytesAsTheyCame() throws Exception {
        byte[] garbage = "not a GWP frame".getBytes(StandardCharsets.UTF_8);

        Exchange done = consume(garbage);

        assertThat(done.getException()).as("handled, so acked").isNull();
        assertThat(deadLetters.getReceivedCounter()).isEqualTo(1);
        Exchange deadLetter = deadLetters.getReceivedExchanges().get(0);
        assertThat(deadLetter.getProperty(Exchange.EXCEPTION_CAUGHT)).isInstanceOf(MalformedFrameException.class);
        assertThat(deadLetter.getProperty(DeadLetters.RETRIES)).as("no retry").isNull();
        assertThat(deadLetter.getProperty(DeadLetters.QUEUE)).isEqualTo(QUEUE);
        assertThat(deadLetter.getProperty(DeadLetters.ORIGINAL_BODY, byte[].class)).isEqualTo(garbage);
        assertThat(store.getReceivedCounter()).isZero();
    }

    @Test
    void aFailedStoreIsRetriedThenDeadLettered() throws Exception {
        storeFailsWith(new RuntimeException("the disk is full"));

        Exchange done = consume(encode(envelope(FrameType.EVENT, KEY, "{}")));

        assertThat(done.getException()).as("handled, so acked").isNull();
        assertThat(store.getReceivedCounter()).isEqualTo(1 + RETRIES);
        assertThat(deadLetters.getReceivedCounter()).isEqualTo(1);
        Exchange deadLetter = deadLetters.getReceivedExchanges().get(0);
        assertThat(deadLetter.getProperty(DeadLetters.RETRIES)).isEqualTo(RETRIES);
        assertThat(deadLetter.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).hasMessage("the disk is full");
    }

    @Test
    void anEventWhoseBatchFailedBeforeTheRouteGetsItsMaxAttemptsAndTheDeadLetterCountsThatOneToo() throws Exception {
        storeFailsWith(new RuntimeException("the disk is full"));

        // as ManualAck.register marks a delivery ConsumedEvents tried to store already
        Exchange done = queue.send(exchange -> {
            exchange.getMessage().setBody(encode(envelope(FrameType.EVENT, KEY, "{}")));
            exchange.setProperty(DeadLetters.RETRIES, 1);
        });

        assertThat(done.getException()).as("handled, so acked").isNull();
        assertThat(store.getReceivedCounter()).as("the route's own max-attempts").isEqualTo(1 + RETRIES);
        assertThat(deadLetters.getReceivedCounter()).isEqualTo(1);
        assertThat(deadLetters.getReceivedExchanges().get(0).getProperty(DeadLetters.RETRIES))
                .as("the attempt before the route counted too").isEqualTo(1 + RETRIES);
    }

    @Test
    void aCommandNoTitleDefinesIsRetriedBeforeItIsDeadLettered() throws Exception {
        // an IllegalArgumentException, which alone would be dead-lettered at once
        storeFailsWith(new CommandNotDefinedException("no title defines t.prod.s.match_end"));

        Exchange done = consume(encode(envelope(FrameType.EVENT, KEY, "{}")));

        assertThat(done.getException()).isNull();
        assertThat(store.getReceivedCounter()).isEqualTo(1 + RETRIES);
        assertThat(deadLetters.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void anEventOfATitleNotInForceIsRetriedThenGoesBackToItsQueueNeverToTheDeadLetters() throws Exception {
        storeFailsWith(new TitleNotInForceException("title t is loading"));

        Exchange done = consume(encode(envelope(FrameType.EVENT, KEY, "{}")));

        assertThat(done.getException()).as("failed, so nacked back to the queue")
                .isInstanceOf(TitleNotInForceException.class);
        assertThat(store.getReceivedCounter()).isEqualTo(1 + RETRIES);
        assertThat(deadLetters.getReceivedCounter()).isZero();
    }

    @Test
    void anUnreachableBackendIsWaitedForBeyondTheRetries() throws Exception {
        int failures = RETRIES + 3;
        AtomicInteger attempts = new AtomicInteger();
        store.whenAnyExchangeReceived(exchange -> {
            if (attempts.incrementAndGet() <= failures) {
                throw new SQLTransientConnectionException("connection refused");
            }
        });

        Exchange done = consume(encode(envelope(FrameType.EVENT, KEY, "{}")));

        assertThat(done.getException()).isNull();
        assertThat(store.getReceivedCounter()).isEqualTo(failures + 1);
        assertThat(deadLetters.getReceivedCounter()).isZero();
    }

    @Test
    void stoppingSinksSendTheEventStraightBackToItsQueue() throws Exception {
        storeFailsWith(new SinkStoppedException());

        Exchange done = consume(encode(envelope(FrameType.EVENT, KEY, "{}")));

        assertThat(done.getException()).isInstanceOf(SinkStoppedException.class);
        assertThat(store.getReceivedCounter()).as("no retry").isEqualTo(1);
        assertThat(deadLetters.getReceivedCounter()).isZero();
    }

    @Test
    void theSetUpStepsAreOutsideTheErrorHandlerAndTheStepsThatCanFailInsideIt() {
        Map<String, Boolean> wrapped = new TreeMap<>();
        collectChannels(camel.getRoute(ROUTE).navigate(), wrapped);

        // a step the error handler wraps costs a copy of the whole exchange per message; Camel drops
        // the template's flag when it makes the route (TemplateStepFlags puts it back)
        assertThat(wrapped).containsEntry(ROUTE + ".name-queue", false)
                .containsEntry(ROUTE + ".keep-original", false)
                .containsEntry(ROUTE + ".unmarshal-gwp", true)
                .containsEntry(ROUTE + ".marshal-reply", true);
    }

    /** Each named step's id (the steps that call a bean by name have none), and whether its channel holds an error handler. */
    private static void collectChannels(Navigate<Processor> steps, Map<String, Boolean> wrapped) {
        if (steps == null || !steps.hasNext()) {
            return;
        }
        for (Processor step : steps.next()) {
            if (step instanceof Channel channel && channel.getNextProcessor() instanceof IdAware named) {
                wrapped.put(named.getId(), channel.getErrorHandler() != null);
            }
            if (step instanceof Navigate<?> nested) {
                @SuppressWarnings("unchecked")
                Navigate<Processor> children = (Navigate<Processor>) nested;
                collectChannels(children, wrapped);
            }
        }
    }
}
