package io.gamewire.sinks;

import com.rabbitmq.client.AMQP;
import io.gamewire.bus.BusMessages;
import io.gamewire.bus.ConfirmingPublisher;
import io.gamewire.protocol.RoutingKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up on a message: republishes it, unchanged, to the dead-letter exchange with why and how
 * often it failed in headers, and returns only once the broker confirmed that; the listener then
 * acknowledges the original (the pattern of Spring AMQP's {@code RepublishMessageRecoverer}). No
 * broker-side dead-lettering is used, since the embedded broker does not discard rejected messages
 * (docs/ARCHITECTURE.md, "One bus, two brokers"). A crash between the confirm and the ack leaves a duplicate
 * in the dead-letter queue, never a loss; a failed republish fails the exchange, and the message
 * goes back to its queue.
 *
 * <p>The routing key is the one the message arrived with, so it reaches the service's
 * {@code .dlq} queue (bound to {@code title.env.service.*} on the dead-letter exchange).
 */
public final class DeadLetters implements Processor {

    public static final String REASON = "gw-dlq-reason";
    public static final String EXCEPTION = "gw-dlq-exception";
    public static final String ATTEMPTS = "gw-dlq-attempts";
    public static final String QUEUE = "gw-dlq-queue";
    public static final String FIRST_FAILURE = "gw-dlq-first-failure";
    public static final String LAST_FAILURE = "gw-dlq-last-failure";
    /**
     * Exchange property: in-place retries so far, counted by {@link #countRetry}; 1 to begin with
     * for an event whose batch failed before the route ({@link ManualAck#register}).
     */
    public static final String RETRIES = "gamewireRetries";
    /** Exchange property: the message body as it arrived, set by the consumer route before decoding. */
    public static final String ORIGINAL_BODY = "gamewireOriginalBody";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_REASON_CHARS = 1000;

    private final ConfirmingPublisher publisher;
    private final String deadLetterExchange;
    private final long confirmTimeoutMs;

    public DeadLetters(ConfirmingPublisher publisher, String deadLetterExchange, long confirmTimeoutMs) {
        this.publisher = publisher;
        this.deadLetterExchange = deadLetterExchange;
        this.confirmTimeoutMs = confirmTimeoutMs;
    }

    /**
     * Runs in the consumer route's exception handler; the queue and the body as it arrived are
     * exchange properties the route set, the AMQP headers and the redelivery count are on the
     * message.
     */
    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String queue = exchange.getProperty(QUEUE, String.class);
        String routingKey = routingKey(message.getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class), queue);
        int attempts = 1 + exchange.getProperty(RETRIES, 0, Integer.class);
        Map<String, Object> headers = headers(reason(failure),
                failure == null ? "unknown" : failure.getClass().getName(), attempts, queue,
                exchange.getClock().getCreated(), System.currentTimeMillis());
        Object source = message.getHeader(BusMessages.SOURCE_HEADER);
        if (source != null) { // the bus monitor counts dead letters by source too
            headers.put(BusMessages.SOURCE_HEADER, source.toString());
        }
        String messageId = message.getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class);
        String contentType = message.getHeader(SpringRabbitMQConstants.CONTENT_TYPE, BusMessages.CONTENT_TYPE,
                String.class);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(contentType).deliveryMode(2).messageId(messageId).headers(headers).build();
        byte[] body = exchange.getProperty(ORIGINAL_BODY, byte[].class);
        try {
            publisher.publish(deadLetterExchange, routingKey, properties, body == null ? new byte[0] : body)
                    .get(confirmTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not dead-letter message " + messageId + " of " + queue
                    + "; it goes back to its queue: " + e.getMessage(), e);
        }
        LOG.warn("Message {} of {} dead-lettered after {} attempt(s): {}", messageId, queue, attempts, headers.get(REASON));
    }

    /**
     * The headers of a dead letter, which the admin API lists: why (cut to 1,000 characters), the
     * exception's class, attempts, the service queue it was meant for, and when it first and last
     * failed (epoch milliseconds). Also used for pulled items the pull engine dead-letters itself.
     */
    public static Map<String, Object> headers(String reason, String exception, int attempts, String queue,
                                              long firstFailure, long lastFailure) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(REASON, reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS) + "…");
        headers.put(EXCEPTION, exception);
        headers.put(ATTEMPTS, attempts);
        headers.put(QUEUE, queue);
        headers.put(FIRST_FAILURE, firstFailure);
        headers.put(LAST_FAILURE, lastFailure);
        return headers;
    }

    /**
     * The error handler's {@code onRedelivery} step: counts a retry, since Camel's own redelivery
     * counter is gone by the time the handler gives up.
     */
    public static void countRetry(Exchange exchange) {
        exchange.setProperty(RETRIES, exchange.getProperty(RETRIES, 0, Integer.class) + 1);
    }

    /** The key it arrived with when that is a routing key of its service, else one that reaches the .dlq. */
    static String routingKey(String received, String queue) {
        if (received != null) {
            try {
                if (RoutingKey.parse(received).serviceKey().equals(queue)) {
                    return received;
                }
            } catch (IllegalArgumentException e) {
                // not a routing key of ours: fall through
            }
        }
        return queue + ".unknown";
    }

    private static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }
}
