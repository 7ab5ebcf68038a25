package io.gamewire.pulls;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that stops sending for longer than the pull's {@code request.timeout}.
 * Java's HttpClient applies a request's timeout only until the response headers arrive; a
 * publisher that then stalls mid-body would hold the run (and, with a stateful schedule, every
 * later run of the pull) forever. Closing the stream wakes the blocked read, which then fails
 * with "no data for … ms", and the run fails like any other cut body.
 *
 * <p>A slow but moving body is fine: only time without a single byte counts.
 */
final class StalledBodyGuard extends FilterInputStream {

    private final long timeoutNanos;
    private final ScheduledExecutorService scheduler;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;
    private boolean stopped;
    private ScheduledFuture<?> check;

    StalledBodyGuard(InputStream body, Duration timeout, ScheduledExecutorService scheduler) {
        super(body);
        this.timeoutNanos = timeout.toNanos();
        this.scheduler = scheduler;
        schedule(timeoutNanos);
    }

    @Override
    public int read() throws IOException {
        try {
            int value = super.read();
            lastProgress = System.nanoTime();
            return value;
        } catch (IOException e) {
            throw explained(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            int count = super.read(buffer, offset, length);
            lastProgress = System.nanoTime();
            return count;
        } catch (IOException e) {
            throw explained(e);
        }
    }

    /** Stops watching; the body is closed by its owner. */
    synchronized void stop() {
        stopped = true;
        if (check != null) {
            check.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        super.close();
    }

    private synchronized void schedule(long delayNanos) {
        if (!stopped) {
            check = scheduler.schedule(this::check, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        long idle = System.nanoTime() - lastProgress;
        if (idle < timeoutNanos) {
            schedule(timeoutNanos - idle);
            return;
        }
        stalled = true;
        try {
            in.close();
        } catch (IOException e) {
            // the read that waits on it fails either way
        }
    }

    private IOException explained(IOException e) {
        if (stalled) {
            return new IOException("no data for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms (request.timeout); the body was abandoned", e);
        }
        return e;
    }
}
