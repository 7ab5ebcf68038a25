package io.gamewire.capacity.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.DirectFieldAccessor;

/**
 * The factory and the range changes on containers that are made but not started (no broker): which
 * containers are kept, and the order of the two setters the SMLC checks against each other. The
 * change of a running container under load is {@code ConsumerScalingIT}'s.
 */
class ConsumerScalingTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 1);
    private final KeptListenerContainers kept = new KeptListenerContainers();
    private final ConsumerScaling scaling = new ConsumerScaling(kept);

    @BeforeEach
    void component() {
        SpringRabbitMQComponent component = new SpringRabbitMQComponent();
        component.setConnectionFactory(connections);
        component.setListenerContainerFactory(kept);
        camel.addComponent("spring-rabbitmq", component);
    }

    @AfterEach
    void close() throws Exception {
        camel.close();
        connections.destroy();
    }

    private SimpleMessageListenerContainer container(String queue, String type) {
        SpringRabbitMQEndpoint endpoint = camel.getEndpoint("spring-rabbitmq:ex?queues=" + queue
                + "&messageListenerContainerType=" + type + "&concurrentConsumers=1&maxConcurrentConsumers=4",
                SpringRabbitMQEndpoint.class);
        return endpoint.createMessageListenerContainer() instanceof SimpleMessageListenerContainer smlc ? smlc : null;
    }

    private static int concurrent(SimpleMessageListenerContainer container) {
        return (int) new DirectFieldAccessor(container).getPropertyValue("concurrentConsumers");
    }

    private static int max(SimpleMessageListenerContainer container) {
        return (int) new DirectFieldAccessor(container).getPropertyValue("maxConcurrentConsumers");
    }

    @Test
    void keepsEachSmlcByItsQueueTheNewestWinning() {
        SimpleMessageListenerContainer first = container("a.prod.s", "SMLC");
        SimpleMessageListenerContainer second = container("a.prod.s", "SMLC");

        assertThat(kept.container("a.prod.s")).containsSame(second).isNotSameAs(first);
        assertThat(kept.queues()).containsExactly("a.prod.s");
        assertThat(container("a.prod.t", "DMLC")).isNull();
        assertThat(kept.container("a.prod.t")).isEmpty();
        assertThat(scaling.set("a.prod.t", 2)).as("no SMLC consumes it").isFalse();
    }

    @Test
    void growsPastTheMaximumAndShrinksBelowTheMinimum() {
        SimpleMessageListenerContainer container = container("a.prod.s", "SMLC");

        // above the endpoint's max of 4: the max must move first
        assertThat(scaling.set("a.prod.s", 6)).isTrue();
        assertThat(concurrent(container)).isEqualTo(6);
        assertThat(max(container)).isEqualTo(6);
        // below: concurrent first
        assertThat(scaling.set("a.prod.s", 2)).isTrue();
        assertThat(concurrent(container)).isEqualTo(2);
        assertThat(max(container)).isEqualTo(2);
        assertThat(scaling.release("a.prod.s", 1, 4)).isTrue();
        assertThat(concurrent(container)).isEqualTo(1);
        assertThat(max(container)).isEqualTo(4);
    }

    @Test
    void refusesARangeThatCannotHold() {
        container("a.prod.s", "SMLC");

        assertThatThrownBy(() -> scaling.set("a.prod.s", 0)).hasMessage("consumers must be 1 <= min <= max, were min 0, max 0");
        assertThatThrownBy(() -> scaling.release("a.prod.s", 3, 2)).hasMessage("consumers must be 1 <= min <= max, were min 3, max 2");
    }
}
