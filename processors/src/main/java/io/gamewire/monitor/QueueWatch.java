package io.gamewire.monitor;

import io.gamewire.camel.NamedThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code gamewire.ops.queue-poll-interval-ms} asks the broker ({@link QueueProbe}) about every
 * service queue the titles in force declare ({@code title.env.service}) and its {@code .dlq}, keeps
 * the answer for {@code GET /v1/admin/queues} ({@link #last()}) and shows it on
 * {@code /observe/metrics}: {@code gamewire_queue_messages{queue}},
 * {@code gamewire_queue_consumers{queue}} and, from the management API only,
 * {@code gamewire_queue_unacked{queue}}. The queue labels are bounded by the title files. A gauge
 * of a queue that is gone or no longer declared reads NaN (Prometheus drops the sample).
 */
public final class QueueWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWatch.class);

    /** The suffix of a service's dead-letter queue. */
    private static final String DLQ = ".dlq";

    private final QueueProbe probe;
    private final Supplier<List<String>> serviceQueues;
    private final MeterRegistry meters;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private volatile Snapshot last;

    /**
     * One poll's answer.
     *
     * @param services   the service queues declared at the time, sorted
     * @param figures    what the broker said, service queues and dead-letter queues, by name
     * @param polledAtMs when, Unix ms
     * @param error      why the broker could not be asked, else null
     */
    public record Snapshot(String source, List<String> services, Map<String, QueueFigures> figures, long polledAtMs,
                           String error) {
    }

    /** @param serviceQueues every {@code title.env.service} of the titles in force */
    public QueueWatch(QueueProbe probe, Supplier<List<String>> serviceQueues, MeterRegistry meters,
                      NamedThreads threads) {
        this.probe = probe;
        this.serviceQueues = serviceQueues;
        this.meters = meters;
        this.timer = Executors.newSingleThreadScheduledExecutor(threads.single("gamewire-queue-watch"));
    }

    /** Polls now and then every {@code intervalMs}. */
    public void start(long intervalMs) {
        if (intervalMs < 100) {
            throw new IllegalArgumentException("gamewire.ops.queue-poll-interval-ms must be at least 100, not "
                    + intervalMs);
        }
        timer.scheduleWithFixedDelay(this::poll, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** The last poll's answer; null before the first one. */
    public Snapshot last() {
        return last;
    }

    /** How the figures are read: {@code passive-declare} or {@code management-api}. */
    /** A service queue's figures at the last poll; empty before the first or when the broker had no such queue. */
    public Optional<QueueFigures> latest(String queue) {
        Snapshot last = last();
        return Optional.ofNullable(last == null ? null : last.figures().get(queue));
    }

    public String source() {
        return probe.source();
    }

    /** One poll: runs on the watch's thread, never throws (the next poll tries again). */
    void poll() {
        List<String> services = serviceQueues.get().stream().sorted().toList();
        List<String> queues = new ArrayList<>(services.size() * 2);
        for (String service : services) {
            queues.add(service);
            queues.add(service + DLQ);
        }
        Map<String, QueueFigures> figures = Map.of();
        String error = null;
        try {
            figures = Map.copyOf(probe.read(queues));
        } catch (IOException | RuntimeException e) {
            error = e.getMessage();
            LOG.debug("Queue watch: {}", e.toString());
        }
        last = new Snapshot(probe.source(), services, figures, System.currentTimeMillis(), error);
        for (String queue : queues) {
            if (gauged.add(queue)) {
                gauge(queue);
            }
        }
    }

    private void gauge(String queue) {
        register("gamewire.queue.messages", "messages ready in the queue, from the broker", queue,
                figures -> figures.messages());
        register("gamewire.queue.consumers", "consumers attached to the queue, from the broker", queue,
                figures -> figures.consumers());
        if ("management-api".equals(probe.source())) {
            register("gamewire.queue.unacked", "messages delivered and not yet acknowledged, from the RabbitMQ"
                    + " management API", queue, figures -> figures.unacked() == null ? Double.NaN : figures.unacked());
        }
    }

    private void register(String name, String description, String queue, ToDoubleFunction<QueueFigures> value) {
        Gauge.builder(name, this, watch -> {
            Snapshot snapshot = watch.last;
            QueueFigures figures = snapshot == null ? null : snapshot.figures().get(queue);
            return figures == null ? Double.NaN : value.applyAsDouble(figures);
        }).description(description).tag("queue", queue).register(meters);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close();
    }
}
