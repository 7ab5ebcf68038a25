package io.gamewire.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints a result for people, then one {@code RESULT key=value ...} line for scripts
 * (run-ingest-bench.sh reads {@code events_per_s} from it; {@code load_cpu_us} is the load
 * generator's own CPU per accepted event over the counted window).
 */
final class Report {

    private Report() {
    }

    static void print(LoadSettings settings, Measurement.Result result, PrintStream out) {
        String latencyName = settings.mode() == LoadSettings.Mode.TCP ? "ACK latency" : "request latency";
        double seconds = result.elapsedNanos() / 1e9;
        out.println(settings.describe());
        out.printf(Locale.ROOT, "events/s (accepted): %,.1f   (%,d events, %,d answered requests in %.1f s)%n",
                result.eventsPerSecond(), result.acceptedEvents(), result.answeredRequests(), seconds);
        out.println("errors: " + (result.errors().isEmpty() ? "none" : result.errors().entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "))));
        out.printf(Locale.ROOT, "%s (ms, from %s): p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (%,d samples)%n",
                latencyName, settings.paced() ? "when each send was due" : "when each send started",
                result.latencyMillis(50), result.latencyMillis(99), result.latencyMillis(99.9),
                result.maxLatencyMillis(), result.latencyMicros().getTotalCount());
        out.printf(Locale.ROOT, "RESULT mode=%s batch=%d workers=%d size=%d events_per_s=%.1f errors=%d"
                        + " p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f accepted_total=%d load_cpu_us=%.1f%n",
                settings.mode().name().toLowerCase(Locale.ROOT), settings.batchSize(), settings.workers(),
                settings.payloadBytes(), result.eventsPerSecond(), result.errorCount(), result.latencyMillis(50),
                result.latencyMillis(99), result.latencyMillis(99.9), result.acceptedInAll(),
                result.cpuMicrosPerEvent());
    }
}
