package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A poison message lands in its service's dead-letter queue, republished by gamewire with why it
 * failed, and leaves the service queue: on the embedded broker and on RabbitMQ alike, without any
 * broker-side dead-letter arguments.
 */
class DeadLetterIT {

    private static GamewireUnderTest gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest().start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void aMessageThatIsNotAnEnvelopeIsDeadLetteredAtOnceWithItsReason() {
        String service = gw.services.get(0);
        ConnectionFactory connectionFactory = gw.bean("connectionFactory", ConnectionFactory.class);
        RabbitTemplate template = new RabbitTemplate(connectionFactory);
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        byte[] poison = "{\"this is\": \"JSON, not a GWP frame\"}".getBytes(StandardCharsets.UTF_8);
        long before = System.currentTimeMillis();

        template.send(gw.exchange, service + ".end", MessageBuilder.withBody(poison).setMessageId("poison-1")
                .setContentType("application/json").build());

        String dlq = BusTopology.deadLetterQueue(service);
        Message dead = await().atMost(Duration.ofSeconds(20)).until(() -> template.receive(dlq), message -> message != null);
        assertThat(dead.getBody()).isEqualTo(poison);
        assertThat(dead.getMessageProperties().getMessageId()).isEqualTo("poison-1");
        assertThat(dead.getMessageProperties().getReceivedRoutingKey()).isEqualTo(service + ".end");
        Map<String, Object> headers = dead.getMessageProperties().getHeaders();
        assertThat(headers.get(DeadLetters.REASON).toString()).contains("not the GWP magic");
        assertThat(headers.get(DeadLetters.EXCEPTION).toString()).endsWith("MalformedFrameException");
        assertThat(headers.get(DeadLetters.ATTEMPTS).toString()).isEqualTo("1");
        assertThat(headers.get(DeadLetters.QUEUE).toString()).isEqualTo(service);
        assertThat(Long.parseLong(headers.get(DeadLetters.LAST_FAILURE).toString())).isGreaterThanOrEqualTo(before);
        // acknowledged after the republish: the service queue does not get it again
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getQueueInfo(service).getMessageCount() == 0);
    }
}
