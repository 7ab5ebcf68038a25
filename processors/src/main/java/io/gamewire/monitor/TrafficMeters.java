package io.gamewire.monitor;

import io.gamewire.bus.EventSource;
import io.gamewire.ingest.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's meters on {@code /observe/metrics}, every {@code routing_key} label bounded by
 * {@link RoutingKeyLabels}, every other label by an enum:
 * <ul>
 *   <li>{@code gamewire_bus_messages_total{exchange, routing_key, source}} and
 *       {@code gamewire_bus_bytes_total{exchange, routing_key}}: dead letters seen by the bus
 *       monitor, and events as {@code gamewire.ops.monitor.scope} says (this instance's confirmed
 *       publishes, or every message the monitor sees); {@code source} is the {@code gw-source}
 *       header ({@link EventSource}), {@code other} for none (requests, messages of user routes);</li>
 *   <li>{@code gamewire_refusals_total{routing_key, code}}: what this instance's translators refused,
 *       {@code code} a {@link Refusal} name;</li>
 *   <li>{@code gamewire_event_delay_seconds{routing_key}} (count, sum, max): received to stored, for
 *       the events this instance stored.</li>
 * </ul>
 * A meter is registered on first use and kept: a label never disappears under a dashboard.
 */
public final class TrafficMeters {

    private final MeterRegistry meters;
    private final RoutingKeyLabels labels;
    private final Map<String, Counter[]> busCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Timer> delays = new ConcurrentHashMap<>();

    public TrafficMeters(MeterRegistry meters, RoutingKeyLabels labels) {
        this.meters = meters;
        this.labels = labels;
    }

    /** @param exchange {@code events} or {@code dead-letters} */
    public void busMessage(String exchange, String routingKey, EventSource source, long bytes) {
        String label = labels.label(routingKey);
        String sourceTag = source == null ? TrafficStats.OTHER_SOURCE : source.tag();
        Counter[] pair = busCounters.computeIfAbsent(exchange + '|' + label + '|' + sourceTag, key -> new Counter[] {
            Counter.builder("gamewire.bus.messages").description("messages on the bus counted by this instance's monitor (gamewire.ops.monitor.scope)")
                    .tag("exchange", exchange).tag("routing_key", label).tag("source", sourceTag).register(meters),
            Counter.builder("gamewire.bus.bytes").description("message bytes on the bus counted by this instance's monitor (gamewire.ops.monitor.scope)")
                    .baseUnit("bytes").tag("exchange", exchange).tag("routing_key", label).register(meters)});
        pair[0].increment();
        pair[1].increment(bytes);
    }

    public void refused(String routingKey, Refusal refusal) {
        String label = labels.label(routingKey);
        refusals.computeIfAbsent(label + '|' + refusal.name(), key -> Counter.builder("gamewire.refusals")
                .description("events and requests this instance's translators refused, by refusal code")
                .tag("routing_key", label).tag("code", refusal.name()).register(meters)).increment();
    }

    public void stored(String routingKey, long delayMs) {
        String label = labels.label(routingKey);
        delays.computeIfAbsent(label, key -> Timer.builder("gamewire.event.delay")
                .description("from received (gw-received-at) to stored, for the events this instance stored")
                .tag("routing_key", label).register(meters)).record(Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }
}
