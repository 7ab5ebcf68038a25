package io.gamewire.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import io.gamewire.sinks.ManualAck;
import io.gamewire.stack.EmbeddedBroker;
import io.gamewire.stack.EmbeddedStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The listener container of a consumer route ({@link ServiceConsumerRoutes#CONSUMER_URI}) leaves
 * every delivery to the route. Camel's spring-rabbitmq gives each container Spring's retry advice
 * unless told otherwise (5 calls of the listener with the same delivery, a second apart). When an
 * exchange failed, the route's {@link ManualAck} has already nacked the delivery back to its queue;
 * a second call with that delivery would register and settle its tag again, which the broker
 * answers by closing the channel. The route runs asynchronously from Camel's listener
 * ({@code asyncConsumer=true}), which then does not see the failure; run synchronously, it throws,
 * and without the endpoint's {@code maximumRetryAttempts=0} the container would call it again:
 * this test fails that way with the option left out.
 */
class ConsumerContainerRetriesTest {

    private static final String EXCHANGE = "gw-retries-test";
    private static final String QUEUE = "t.test.retries";

    @TempDir
    Path folder;

    @ParameterizedTest(name = "asyncConsumer={0}")
    @ValueSource(booleans = {true, false})
    void aFailedExchangeIsRequeuedByTheRouteAndNotCalledAgainByTheContainer(boolean asyncConsumer) throws Exception {
        assertThat(ServiceConsumerRoutes.CONSUMER_URI).contains("&asyncConsumer=true");
        String consumerUri = ServiceConsumerRoutes.CONSUMER_URI.replace("&asyncConsumer=true",
                "&asyncConsumer=" + asyncConsumer);
        int port = AvailablePortFinder.getNextAvailable();
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, folder.resolve("broker"), "guest", "guest",
                EmbeddedStore.BDB);
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", port);
        List<Call> calls = new CopyOnWriteArrayList<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            broker.start();
            RabbitAdmin admin = new RabbitAdmin(connections);
            TopicExchange exchange = new TopicExchange(EXCHANGE, true, false);
            Queue queue = new Queue(QUEUE, true);
            admin.declareExchange(exchange);
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(QUEUE + ".#"));

            Properties settings = new Properties();
            settings.put("gamewire.bus.exchange", EXCHANGE);
            settings.put("queue", QUEUE);
            settings.put("minConsumers", "1");
            settings.put("maxConsumers", "1");
            settings.put("prefetch", "10");
            camel.getPropertiesComponent().setInitialProperties(settings);
            camel.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setConnectionFactory(connections);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(consumerUri).routeId("consumer")
                            .process(ManualAck::register)
                            .process(exchange -> {
                                calls.add(new Call(
                                        exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class),
                                        Boolean.TRUE.equals(exchange.getMessage().getHeader(SpringRabbitMQConstants.REDELIVERED)),
                                        target(exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class))));
                                if (calls.size() == 1) {
                                    // not handled, no redelivery: the exchange fails, on the listener thread
                                    throw new IllegalStateException("test: the first store failed");
                                }
                            });
                }
            });
            camel.start();

            new RabbitTemplate(connections).send(EXCHANGE, QUEUE + ".event",
                    new Message("event".getBytes(StandardCharsets.UTF_8), new MessageProperties()));

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> calls.size() >= 2 && admin.getQueueInfo(QUEUE).getMessageCount() == 0);
            Call first = calls.get(0);
            Call second = calls.get(1);
            assertThat(second.redelivered())
                    .as("the second call is the broker's redelivery of the requeued message, not the container"
                            + " calling the route again with the first delivery")
                    .isTrue();
            assertThat(second.deliveryTag()).isNotEqualTo(first.deliveryTag());
            assertThat(second.channel()).as("the channel the delivery came on").isSameAs(first.channel());
            // nothing comes again while the consumer keeps running, and the channel stays open (an
            // ack of an unknown delivery tag would close it)
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> calls.size() == 2 && admin.getQueueInfo(QUEUE).getMessageCount() == 0);
            assertThat(first.channel().isOpen()).as("the channel after the ack").isTrue();

            // acked, not merely unacknowledged: closing the consumer's connection would put an
            // unacknowledged message back on the queue
            camel.getRouteController().stopRoute("consumer");
            connections.resetConnection();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> admin.getQueueInfo(QUEUE).getMessageCount() == 0);
            assertThat(calls).hasSize(2);
            admin.deleteQueue(QUEUE);
            admin.deleteExchange(EXCHANGE);
        } finally {
            connections.destroy();
            broker.stop();
        }
    }

    /** One call of the route's failing step. */
    private record Call(long deliveryTag, boolean redelivered, Channel channel) {
    }

    /** The broker's channel behind Spring's caching proxy, which would open a fresh one when it closed. */
    private static Channel target(Channel channel) {
        return channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
    }
}
