package io.gamewire.bench.load;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts accepted and refused events and records request latencies, from many threads at once
 * (senders, HTTP client and Netty I/O threads), but only between {@link #start()} and
 * {@link #stop()}: what happens during the warm-up and after the end is not counted.
 *
 * <p>Latencies go into an HdrHistogram {@link Recorder} (wait-free for the recording threads,
 * bounded memory, 3 significant digits) in microseconds. The load generator's own CPU time over the
 * counted window is taken too: it shares the cores with what it measures.
 */
final class Measurement {

    private final Recorder latencyMicros = new Recorder(3);
    /** Every interval taken so far since {@link #start()} (auto-resizing, as the recorder's). */
    private final Histogram counted = new Histogram(3);
    private final LongAdder accepted = new LongAdder();
    // every accepted event, warm-up and tail included: what a soak checks the stores against
    private final LongAdder acceptedEver = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private volatile boolean counting;
    private long startNanos;
    private long startCpuNanos;

    /**
     * A request was answered after {@code latencyNanos} with {@code acceptedEvents} (at least one) of
     * its events accepted; only such requests count for latency, since a refusal is often quicker.
     */
    void answered(long latencyNanos, int acceptedEvents) {
        acceptedEver.add(acceptedEvents);
        if (counting) {
            requests.increment();
            accepted.add(acceptedEvents);
            latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
        }
    }

    /** {@code events} events were not accepted, for the reason {@code kind}. */
    void refused(String kind, int events) {
        if (counting && events > 0) {
            refused.computeIfAbsent(kind, k -> new LongAdder()).add(events);
        }
    }

    /** Starts counting, dropping whatever the warm-up recorded. */
    void start() {
        synchronized (counted) {
            latencyMicros.reset();
            counted.reset();
        }
        startNanos = System.nanoTime();
        startCpuNanos = processCpuNanos();
        counting = true;
    }

    /**
     * The latencies recorded since the last call (or {@link #start()}), kept for the result too:
     * a {@link Timeline}'s one second.
     */
    Histogram interval() {
        synchronized (counted) {
            Histogram interval = latencyMicros.getIntervalHistogram();
            counted.add(interval);
            return interval;
        }
    }

    Result stop() {
        counting = false;
        long elapsed = System.nanoTime() - startNanos;
        long cpu = processCpuNanos() - startCpuNanos;
        Histogram latencies;
        synchronized (counted) {
            interval();
            latencies = counted.copy();
        }
        Map<String, Long> errors = new TreeMap<>();
        refused.forEach((kind, count) -> errors.put(kind, count.sum()));
        return new Result(accepted.sum(), requests.sum(), errors, latencies, elapsed, cpu, acceptedEver);
    }

    /** This process's CPU time so far (user and system, every thread); 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** What was counted between start and stop. */
    record Result(long acceptedEvents, long answeredRequests, Map<String, Long> errors, Histogram latencyMicros,
            long elapsedNanos, long cpuNanos, LongAdder acceptedEver) {

        /** Every event accepted so far, in the warm-up too (answers still coming add to it). */
        long acceptedInAll() {
            return acceptedEver.sum();
        }

        /** The load generator's CPU per accepted event over the counted window, in µs; 0 without events. */
        double cpuMicrosPerEvent() {
            return acceptedEvents == 0 ? 0 : cpuNanos / 1e3 / acceptedEvents;
        }

        double eventsPerSecond() {
            return acceptedEvents * 1e9 / elapsedNanos;
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The latency at {@code percentile} (0–100) in milliseconds; 0 without samples. */
        double latencyMillis(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxLatencyMillis() {
            return latencyMicros.getMaxValue() / 1000.0;
        }
    }
}
