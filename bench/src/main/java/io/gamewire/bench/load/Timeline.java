package io.gamewire.bench.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The measured part of a run second by second, as CSV ({@code second,end_ms,answered,p50_ms,p99_ms,max_ms};
 * {@code end_ms} the second's end in epoch milliseconds, to match it with a server's log or recording):
 * a p99 over the whole run cannot tell a steady tail from a few stalls, nor show whether stalls
 * come on a period (a timer, a flush, a collector) that points at their cause.
 */
final class Timeline {

    private Timeline() {
    }

    /** Takes {@link Measurement#interval()} once a second for {@code duration}, writing a line each. */
    static void write(Path file, Measurement measurement, Duration duration) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("second,end_ms,answered,p50_ms,p99_ms,max_ms");
            for (int second = 1; System.nanoTime() < end; second++) {
                long next = Math.min(end, start + TimeUnit.SECONDS.toNanos(second));
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                Histogram interval = measurement.interval();
                out.println(String.format(Locale.ROOT, "%d,%d,%d,%.3f,%.3f,%.3f", second, System.currentTimeMillis(),
                        interval.getTotalCount(),
                        interval.getValueAtPercentile(50) / 1000.0, interval.getValueAtPercentile(99) / 1000.0,
                        interval.getMaxValue() / 1000.0));
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the timeline " + file, e);
        }
    }
}
