package io.gamewire.bench.load;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a given number of cores busy for a while: {@code CpuLoad CORES SECONDS}, e.g. {@code 0.9 30}.
 * CORES is spread over {@code ceil(CORES)} threads, each spinning for its share of every 2 ms and
 * parked for the rest, so the load is even over time as a server's is, not one long burst.
 *
 * <p>What it is for: on a machine of few cores, a broker's confirm latency depends on how much CPU
 * the processes beside it take. gamewire and its load generator take far more than PerfTest does at
 * the same rate, so run-all.sh runs PerfTest once more beside this load, sized to the difference,
 * to tell the latency gamewire adds from the latency the shared cores add.
 */
public final class CpuLoad {

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private CpuLoad() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: CpuLoad CORES SECONDS (e.g. 0.9 30)");
            System.exit(2);
        }
        double cores = Double.parseDouble(args[0]);
        double seconds = Double.parseDouble(args[1]);
        if (!(cores > 0 && cores <= Runtime.getRuntime().availableProcessors()) || !(seconds > 0)) {
            System.err.printf(Locale.ROOT, "CpuLoad: CORES must be in (0, %d] and SECONDS above 0, not %s %s%n",
                    Runtime.getRuntime().availableProcessors(), args[0], args[1]);
            System.exit(2);
        }
        int threads = (int) Math.ceil(cores);
        long busyNanos = Math.round(PERIOD_NANOS * cores / threads);
        long end = System.nanoTime() + Math.round(seconds * 1e9);
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> spin(busyNanos, end), "cpu-load-" + i);
            workers[i].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static void spin(long busyNanos, long end) {
        long periodStart = System.nanoTime();
        while (periodStart < end) {
            long busyUntil = periodStart + busyNanos;
            while (System.nanoTime() < busyUntil) {
                Thread.onSpinWait();
            }
            long next = periodStart + PERIOD_NANOS;
            long idle = next - System.nanoTime();
            if (idle > 0) {
                LockSupport.parkNanos(idle);
            }
            periodStart = Math.max(next, System.nanoTime() - PERIOD_NANOS);
        }
    }
}
