package io.gamewire.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.protocol.camel.GwpDataFormat;
import java.util.Collections;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/** Which consumers get {@link ConsumedEvents} in front of Camel's listener, and which keep Camel's alone. */
class ConsumedEventQueuesTest {

    private static final String QUEUE = "t.prod.stats";

    private final SinkBatcher batcher = new SinkBatcher(batch -> Collections.nCopies(batch.size(), null), 10, 100, 1);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    /** Stands for Camel's own listener (EndpointMessageListener is channel-aware). */
    private final ChannelAwareMessageListener camels = (message, channel) -> { };

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private SpringRabbitMQEndpoint endpoint(String queue, AcknowledgeMode mode) {
        SpringRabbitMQComponent component = new SpringRabbitMQComponent();
        component.setCamelContext(camel);
        SpringRabbitMQEndpoint endpoint = new SpringRabbitMQEndpoint("spring-rabbitmq:gw?queues=" + queue, component, "gw");
        endpoint.setQueues(queue);
        endpoint.setAcknowledgeMode(mode);
        endpoint.setPrefetchCount(50);
        return endpoint;
    }

    @Test
    void aQueueOfGamewiresOwnTemplateConsumedWithManualAcksGetsTheFastPathInFrontOfCamelsListener() {
        ConsumedEventQueues queues = new ConsumedEventQueues(true, batcher, new GwpDataFormat());
        queues.byOwnTemplate(QUEUE, true);

        MessageListener listener = queues.listenerFor(endpoint(QUEUE, AcknowledgeMode.MANUAL), camels);

        assertThat(listener).isInstanceOf(ConsumedEvents.class);
        // a consumer thread restarted on the same container is not wrapped twice
        assertThat(queues.listenerFor(endpoint(QUEUE, AcknowledgeMode.MANUAL), listener)).isSameAs(listener);
    }

    @Test
    void everyOtherConsumerKeepsCamelsListener() {
        ConsumedEventQueues queues = new ConsumedEventQueues(true, batcher, new GwpDataFormat());
        queues.byOwnTemplate(QUEUE, true);

        assertThat(queues.listenerFor(endpoint("t.prod.other", AcknowledgeMode.MANUAL), camels))
                .as("a queue no consumer route of gamewire's template was made for (a user's route)").isSameAs(camels);
        assertThat(queues.listenerFor(endpoint(QUEUE, AcknowledgeMode.AUTO), camels))
                .as("acks left to the container").isSameAs(camels);
        MessageListener plain = message -> { };
        assertThat(queues.listenerFor(endpoint(QUEUE, AcknowledgeMode.MANUAL), plain))
                .as("a listener without the channel to ack on").isSameAs(plain);

        queues.byOwnTemplate(QUEUE, false); // the service now names a template of its own
        assertThat(queues.listenerFor(endpoint(QUEUE, AcknowledgeMode.MANUAL), camels)).isSameAs(camels);
    }

    @Test
    void turnedOffEveryMessageGoesThroughTheRoute() {
        ConsumedEventQueues queues = new ConsumedEventQueues(false, batcher, new GwpDataFormat());
        queues.byOwnTemplate(QUEUE, true);

        assertThat(queues.listenerFor(endpoint(QUEUE, AcknowledgeMode.MANUAL), camels)).isSameAs(camels);
    }
}
