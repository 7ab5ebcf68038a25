package io.gamewire.monitor;

import io.gamewire.bus.EventSource;
import io.gamewire.ingest.Refusal;
import io.gamewire.routing.TopicPattern;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The figures behind {@code GET /v1/admin/stats}: per routing key, over a window of the last 10 s
 * to 1 h ({@link StatsWindow}), events by source, bytes, dead letters, refusals by code and the
 * delay from received to stored, with percentiles ({@link DelayHistogram}: within 9.1 %).
 *
 * <p>Who feeds what. Dead letters come from the bus monitor, which sees the whole dead-letter
 * exchange: the same on every instance. Events and bytes are this instance's confirmed publishes
 * ({@code gamewire.ops.monitor.scope=instance}, each instance its share) or everything on the events
 * exchange ({@code bus}, the same on every instance). Refusals (from the translators of this
 * instance) and delays (events this instance's sinks stored) are what <em>this</em> instance saw;
 * with several instances each has its share.
 *
 * <p>Memory is bounded. Keys are labelled by {@link RoutingKeyLabels}: a key some title declares,
 * at most {@code gamewire.ops.max-routing-keys} (500) of them, the rest together as
 * {@value RoutingKeyLabels#OTHER}. Each key keeps {@value #SECOND_SLOTS} one-second buckets (the
 * last 5 min) and {@value #MINUTE_SLOTS} one-minute buckets (the last hour). A bucket is made on
 * its first figure and then reused, about 220 bytes of counters, plus about 380 bytes of delay
 * histogram once an event of that key was stored in that second or minute. So a key busy every
 * second costs at most about 215 KB (360 buckets), the cap of 500 such keys about 110 MB at the
 * very worst, and an idle key or an idle second costs nothing more; lower
 * {@code gamewire.ops.max-routing-keys} to lower the bound.
 */
public final class TrafficStats {

    public static final int SECOND_SLOTS = 300;
    public static final int MINUTE_SLOTS = 60;
    /** Events by source: one count per {@link EventSource}, then one for none or an unknown one. */
    static final int SOURCES = EventSource.values().length + 1;
    /** The source name under which events without a known {@code gw-source} are counted. */
    public static final String OTHER_SOURCE = "other";

    private final RoutingKeyLabels labels;
    private final LongSupplier clockMillis;
    private final Map<String, KeyTraffic> keys = new ConcurrentHashMap<>();

    /** @param clockMillis the time, Unix ms ({@code System::currentTimeMillis}; tests step their own) */
    public TrafficStats(RoutingKeyLabels labels, LongSupplier clockMillis) {
        this.labels = labels;
        this.clockMillis = clockMillis;
    }

    /** One event seen on the bus; {@code source} null when it has none. */
    public void event(String routingKey, EventSource source, long bytes) {
        record(routingKey, slot -> {
            slot.counts[source == null ? SOURCES - 1 : source.ordinal()]++;
            slot.counts[TrafficSlot.BYTES] += bytes;
        });
    }

    /** One message seen on the dead-letter exchange. */
    public void deadLetter(String routingKey) {
        record(routingKey, slot -> slot.counts[TrafficSlot.DEAD_LETTERS]++);
    }

    /** One event or request this instance's translators refused. */
    public void refused(String routingKey, Refusal refusal) {
        record(routingKey, slot -> slot.counts[TrafficSlot.REFUSALS + refusal.ordinal()]++);
    }

    /** One event this instance stored, {@code delayMs} after it was received (negative: clocks apart, read as 0). */
    public void stored(String routingKey, long delayMs) {
        long delay = Math.max(0, delayMs);
        record(routingKey, slot -> slot.delay(delay));
    }

    private interface SlotUpdate {
        void apply(TrafficSlot slot);
    }

    private void record(String routingKey, SlotUpdate update) {
        KeyTraffic key = keys.computeIfAbsent(labels.label(routingKey), label -> new KeyTraffic());
        long second = Math.floorDiv(clockMillis.getAsLong(), 1000L);
        synchronized (key) {
            update.apply(key.seconds.slot(second));
            update.apply(key.minutes.slot(second));
        }
    }

    /**
     * The figures of every key matching {@code pattern} over {@code window}, by key (sorted,
     * {@value RoutingKeyLabels#OTHER} last and only for the pattern {@code #}, since it may hold
     * any key), and their totals.
     *
     * @param series whether each key also gets its events per bucket of the window
     */
    public Report report(TopicPattern pattern, StatsWindow window, boolean series) {
        long second = Math.floorDiv(clockMillis.getAsLong(), 1000L);
        List<String> matching = new ArrayList<>();
        for (String label : keys.keySet()) {
            boolean other = label.equals(RoutingKeyLabels.OTHER);
            if (other ? pattern.equals(TopicPattern.all()) : pattern.matches(label)) {
                matching.add(label);
            }
        }
        Collections.sort(matching, (a, b) -> a.equals(RoutingKeyLabels.OTHER) ? 1
                : b.equals(RoutingKeyLabels.OTHER) ? -1 : a.compareTo(b));
        TrafficSlot total = new TrafficSlot(0);
        long[] totalSeries = series ? new long[window.steps()] : null;
        List<KeyFigures> figures = new ArrayList<>(matching.size());
        for (String label : matching) {
            KeyTraffic key = keys.get(label);
            TrafficSlot sum = new TrafficSlot(0);
            long[] keySeries = series ? new long[window.steps()] : null;
            synchronized (key) {
                TrafficRing ring = window.stepSeconds() == 1 ? key.seconds : key.minutes;
                ring.sum(second, window.steps(), sum, keySeries);
            }
            sum.addTo(total);
            if (series) {
                for (int i = 0; i < keySeries.length; i++) {
                    totalSeries[i] += keySeries[i];
                }
            }
            figures.add(new KeyFigures(label, Figures.of(sum, keySeries)));
        }
        return new Report(pattern, window, figures, Figures.of(total, totalSeries));
    }

    /** What the stats hold for one key: bounded by the labels, so the map is too. */
    private static final class KeyTraffic {
        final TrafficRing seconds = new TrafficRing(SECOND_SLOTS, 1);
        final TrafficRing minutes = new TrafficRing(MINUTE_SLOTS, 60);
    }

    /** The answer of {@link #report}. */
    public record Report(TopicPattern pattern, StatsWindow window, List<KeyFigures> routingKeys, Figures totals) {
    }

    /** One key's figures; {@code routingKey} is a declared key or {@value RoutingKeyLabels#OTHER}. */
    public record KeyFigures(String routingKey, Figures figures) {
    }

    /**
     * Figures over a window.
     *
     * @param bySource events per source tag ({@code http}, {@code tcp}, {@code pull}, {@code replay},
     *                 {@code console}, then {@value #OTHER_SOURCE}), all present
     * @param refusalsByCode only the codes that occurred, by {@link Refusal} name
     * @param series   events per bucket of the window ({@link StatsWindow#stepSeconds()}), oldest
     *                 first; null when not asked for
     */
    public record Figures(long events, Map<String, Long> bySource, long bytes, long deadLetters, long refusals,
                          Map<String, Long> refusalsByCode, Delays delays, long[] series) {

        static Figures of(TrafficSlot sum, long[] series) {
            Map<String, Long> bySource = new LinkedHashMap<>();
            for (EventSource source : EventSource.values()) {
                bySource.put(source.tag(), sum.counts[source.ordinal()]);
            }
            bySource.put(OTHER_SOURCE, sum.counts[SOURCES - 1]);
            Map<String, Long> byCode = new LinkedHashMap<>();
            long refusals = 0;
            for (Refusal refusal : Refusal.values()) {
                long count = sum.counts[TrafficSlot.REFUSALS + refusal.ordinal()];
                if (count > 0) {
                    byCode.put(refusal.name(), count);
                    refusals += count;
                }
            }
            return new Figures(sum.events(), bySource, sum.counts[TrafficSlot.BYTES],
                    sum.counts[TrafficSlot.DEAD_LETTERS], refusals, byCode, Delays.of(sum), series);
        }
    }

    /** Delays from received to stored, ms; the percentiles and max are null when there were none. */
    public record Delays(long count, Double p50, Double p95, Double p99, Long max) {

        static Delays of(TrafficSlot sum) {
            long count = sum.counts[TrafficSlot.DELAY_COUNT];
            if (count == 0) {
                return new Delays(0, null, null, null, null);
            }
            long max = sum.counts[TrafficSlot.DELAY_MAX];
            return new Delays(count, DelayHistogram.percentile(sum.delays, count, max, 0.50),
                    DelayHistogram.percentile(sum.delays, count, max, 0.95),
                    DelayHistogram.percentile(sum.delays, count, max, 0.99), max);
        }
    }
}
