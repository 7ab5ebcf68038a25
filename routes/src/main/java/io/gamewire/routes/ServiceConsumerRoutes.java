package io.gamewire.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gamewire.camel.TemplateStepFlags;
import io.gamewire.sinks.BackendFailures;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.sinks.ManualAck;
import io.gamewire.sinks.SinkBatcher;
import io.gamewire.sinks.SinkStoppedException;
import io.gamewire.sinks.TitleSinks;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.query.QueryResponder;
import io.gamewire.titles.CommandNotDefinedException;
import io.gamewire.titles.TitleNotInForceException;
import io.gamewire.titles.model.ServiceDefinition;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteDefinition;

/**
 * The route template {@code service-consumer}: one consumer route per service queue
 * ({@code title.env.service}) is made from it by {@link io.gamewire.deploy.TitleDeployer}.
 *
 * <p>Delivery: the consumer is asynchronous and acknowledges by hand ({@link ManualAck}): a message
 * is acked only when its exchange completes, i.e. after {@link SinkBatcher} wrote it in a batch
 * and committed, or after it was dead-lettered; the listener thread meanwhile goes on with the next
 * message, up to the prefetch. A message that can never succeed is dead-lettered at once
 * ({@link DeadLetters}: republished to the dead-letter exchange, confirmed, then acked); an
 * unreachable backend is waited for with back-off, the message unacknowledged; any other failure
 * is retried in place up to the service's {@code max-attempts}, then dead-lettered. If even the
 * dead-lettering fails, or the sinks are stopping, the message is nacked back to its queue:
 * nothing is dropped. An event is stored with every sink its command declares or not at all
 * ({@link TitleSinks}): one whose title is not in force as its file says yet is retried with
 * back-off and then nacked back to its queue; one whose command no title defines is dead-lettered
 * with a reason naming the routing key and the title file, after the service's max-attempts.
 *
 * <p>A REQUEST on the queue is answered by {@link QueryResponder} instead of stored: the listener
 * sends the REPLY to the request's reply-to queue with its correlation id.
 *
 * <p>A well-formed EVENT of a route made from this template usually never reaches these steps:
 * {@link io.gamewire.sinks.ConsumedEvents} stores it on the listener thread without an exchange
 * ({@code gamewire.store.consumer-fast-path}) and gives the route only what it does not store,
 * among them an event whose batch failed: the route then makes the attempts above after that
 * one, which the dead letter's attempts count too.
 */
public class ServiceConsumerRoutes extends RouteBuilder {

    /**
     * The consumer endpoint; {@code {{queue}}} and the consumer settings are template parameters.
     * The route settles every delivery itself ({@link ManualAck}), so its listener container never
     * calls Camel's listener again with a delivery when that listener throws
     * ({@code maximumRetryAttempts=0}). Camel would otherwise give the container Spring's retry
     * advice: up to 5 calls a second apart with the same delivery, each registering and settling
     * its tag again, which the broker answers by closing the channel. With {@code asyncConsumer=true}
     * a failed exchange completes after the listener returned, so today only a failure before the
     * route (making the exchange) makes the listener throw; the option keeps the delivery the
     * route's whichever way the listener runs it. (In manual-ack mode the container itself never
     * settles a delivery, retried or not.)
     */
    static final String CONSUMER_URI = "spring-rabbitmq:{{gamewire.bus.exchange}}?queues={{queue}}"
            + "&autoDeclare=false&acknowledgeMode=MANUAL&asyncConsumer=true"
            + "&maximumRetryAttempts=0"
            + "&messageListenerContainerType=SMLC"
            + "&concurrentConsumers={{minConsumers}}"
            + "&maxConcurrentConsumers={{maxConsumers}}"
            + "&prefetchCount={{prefetch}}";

    /** The template's id. */
    public static final String TEMPLATE = ServiceDefinition.DEFAULT_CONSUMER_TEMPLATE;

    @Override
    public void configure() {
        // instantiated per title.env.service by TitleDeployer, from the title files
        RouteDefinition consumer = routeTemplate(TEMPLATE)
                .templateParameter("queue", null, "the service queue to consume: title.env.service")
                .templateParameter("minConsumers", "1", "consumers per instance at rest")
                .templateParameter("maxConsumers", "4", "consumers per instance under load")
                .templateParameter("prefetch", "50", "unacknowledged messages sent to each consumer ahead")
                .templateParameter("retries", "4", "in-place retries of a failed store (max-attempts - 1)")
                .from(CONSUMER_URI)
                // the body is the message's bytes, never a stream: no per-message stream-cache lookup
                .noStreamCaching()
                // acked when the exchange completes, nacked back to the queue when it fails
                .process(ManualAck::register).id("ack-on-completion")
                .setProperty(DeadLetters.QUEUE, simple("{{queue}}")).id("name-queue")
                // the bytes as they came, for a dead letter (the message itself keeps the redelivery count)
                .setProperty(DeadLetters.ORIGINAL_BODY, body()).id("keep-original");
        // the set-up steps cannot fail for a message and have nothing to redeliver: outside the error
        // handler, which would copy the whole exchange before each of them (a route whose error
        // handler may redeliver copies it before every step it wraps, to redeliver from the copy).
        // Camel drops this flag when it makes a route from a template; TemplateStepFlags puts it back
        consumer.getOutputs().forEach(setUp -> setUp.setInheritErrorHandler(false));
        TemplateStepFlags.keepFor(getCamelContext(), TEMPLATE);

        failures(consumer);

        consumer.unmarshal().custom("gwp").id("unmarshal-gwp")
                .choice()
                    // a REQUEST is answered (the listener sends the reply to its reply-to queue),
                    // never stored
                    .when(QueryResponder::isRequest)
                        .process("queryResponder").id("answer-query")
                        .marshal().custom("gwp").id("marshal-reply")
                    .endChoice()
                    .otherwise()
                        // batched with other events; the exchange completes (and so is acked) once
                        // its batch is committed in every sink
                        .process("eventStoreProcessor").id("store-event")
                .end();
    }

    /**
     * What happens when a step fails, in six kinds. Route-scoped, because the retry count is a
     * template parameter.
     */
    private static void failures(RouteDefinition consumer) {
        // 1. the message can never succeed (not a GWP frame, no routing key, a payload its sinks
        //    must read that is not JSON or lacks a key field): dead-lettered at once, the reason
        //    naming what was wrong
        consumer.onException(MalformedFrameException.class, IllegalArgumentException.class,
                        JsonProcessingException.class)
                .handled(true)
                .process("deadLetters")
                .end();
        // 2. a backend is unreachable: retried with back-off for as long as it takes, the message
        //    unacknowledged (prefetch bounds what waits); only a stopping route gives up, and then
        //    the message goes back to its queue, never to the dead letters
        storeBackOff(consumer.onException(BackendFailures.UNREACHABLE.toArray(Class[]::new)))
                .maximumRedeliveries(-1)
                .end();
        // 3. the sinks are stopping: straight back to the queue
        consumer.onException(SinkStoppedException.class)
                .maximumRedeliveries(0)
                .end();
        // 4. the event's title is not in force as its file says (titles still loading, the file
        //    has problems, the service is being taken out): never stored without its command's
        //    sinks, never dead-lettered for it; retried with back-off (it may come into force
        //    meanwhile), then back to its queue, where this or another instance takes it again
        storeBackOff(consumer.onException(TitleNotInForceException.class))
                .maximumRedeliveries("{{retries}}")
                // one line per message and pass, naming why: a prefetch-full of waiting messages
                // must not flood the log with a warning per retry and a stack trace each
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .retriesExhaustedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false)
                .logExhaustedMessageHistory(false)
                .end();
        // 5. a command no title defines (any more): retried with back-off first, since with the
        //    defaults that outlasts a title reload and a newer file that another instance already
        //    serves may reach this one meanwhile; then dead-lettered, the reason naming the
        //    routing key and the title file
        retriedThenDeadLettered(consumer.onException(CommandNotDefinedException.class));
        // 6. anything else: retried in place up to the service's max-attempts, then dead-lettered
        retriedThenDeadLettered(consumer.onException(Exception.class));
    }

    /**
     * Retried with back-off up to the service's max-attempts, then dead-lettered. An event whose
     * batch failed in {@link io.gamewire.sinks.ConsumedEvents} comes with that attempt counted
     * ({@link ManualAck#register}): the route makes its max-attempts after it, with the whole
     * back-off, and the dead letter counts them all.
     */
    private static void retriedThenDeadLettered(OnExceptionDefinition clause) {
        storeBackOff(clause)
                .maximumRedeliveries("{{retries}}")
                .onRedelivery(DeadLetters::countRetry)
                .handled(true)
                .process("deadLetters")
                .end();
    }

    /**
     * The store's retry back-off: {@code gamewire.store.retry-delay-ms} doubling up to
     * {@code max-retry-delay-ms}. The waits run on Camel's scheduler, never on the thread that
     * completed the store (a sink writer): a sleeping writer would stall every other event's batch.
     */
    private static OnExceptionDefinition storeBackOff(OnExceptionDefinition clause) {
        return clause.asyncDelayedRedelivery()
                .redeliveryDelay("{{gamewire.store.retry-delay-ms}}")
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay("{{gamewire.store.max-retry-delay-ms}}")
                .retryAttemptedLogLevel(LoggingLevel.WARN);
    }
}
