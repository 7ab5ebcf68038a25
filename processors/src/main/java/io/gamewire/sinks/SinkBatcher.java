package io.gamewire.sinks;

import io.gamewire.camel.NamedThreads;
import io.gamewire.sinks.sql.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers events from every consumer into batches for {@link SinkBatchWriter}: a batch closes at
 * {@code maxEvents} events or {@code maxWaitMs} after its first event, whichever comes first.
 * Each event's future completes when its batch is written, and only then is its message
 * acknowledged ({@link ManualAck}), so a crash loses no event: its message is redelivered.
 *
 * <p>{@code writers} threads each take a batch and write it, so one batch is gathered while
 * another is written. Memory is bounded by the consumers' prefetch: no more events can be waiting
 * here than messages the broker has handed out unacknowledged.
 *
 * <p>Stopping (after the consumer routes stopped, see {@link org.apache.camel.CamelContext}
 * service order) writes what is gathered and fails anything submitted later with
 * {@link SinkStoppedException}; those messages go back to their queues.
 */
public final class SinkBatcher extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SinkBatcher.class);

    /** Writes a batch; returns, per event in order, null when it is stored, else why not. */
    public interface BatchWriter {
        List<Throwable> write(List<StoredEvent> batch);
    }

    /**
     * Told of every event stored, right after its batch was written (committed, then KV and cache),
     * with that moment: the operations' statistics take the delay from received to stored from it.
     * Runs on a completer thread, before the events' futures complete.
     */
    @FunctionalInterface
    public interface StoredListener {
        void stored(StoredEvent event, long storedAtMs);
    }

    private record Pending(StoredEvent event, CompletableFuture<Void> done) {
    }

    private final List<StoredListener> storedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final BatchWriter writer;
    private final int maxEvents;
    private final long maxWaitMs;
    private final int writers;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    /**
     * Completes the events' futures, so that their routes go on (ack, retry, dead letter) on a
     * thread of their own and never hold up a writer.
     */
    private ExecutorService completions;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong eventsWritten = new AtomicLong();
    private volatile boolean accepting;
    private final NamedThreads namedThreads;

    public SinkBatcher(BatchWriter writer, int maxEvents, long maxWaitMs, int writers) {
        this(writer, maxEvents, maxWaitMs, writers, NamedThreads.PLAIN);
    }

    /** @param threads where the writers' and completers' threads come from ({@link NamedThreads#of} in the application) */
    public SinkBatcher(BatchWriter writer, int maxEvents, long maxWaitMs, int writers, NamedThreads threads) {
        if (maxEvents < 1 || maxWaitMs < 0 || writers < 1) {
            throw new IllegalArgumentException("gamewire.store.batch-size (" + maxEvents + ") and"
                    + " gamewire.store.writers (" + writers + ") must be at least 1,"
                    + " gamewire.store.batch-wait-ms (" + maxWaitMs + ") at least 0");
        }
        this.writer = writer;
        this.maxEvents = maxEvents;
        this.maxWaitMs = maxWaitMs;
        this.writers = writers;
        this.namedThreads = threads;
    }

    /** Queues the event for the next batch; the future completes when it is stored in every sink. */
    public CompletableFuture<Void> submit(StoredEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) { // never queued after stop drained the queue
            if (accepting) {
                pending.add(new Pending(event, done));
                return done;
            }
        }
        done.completeExceptionally(new SinkStoppedException());
        return done;
    }

    /** Adds a listener told of every event stored from now on. */
    public void onStored(StoredListener listener) {
        storedListeners.add(listener);
    }

    /** Batches written so far. */
    public long batches() {
        return batches.get();
    }

    /** Events written (stored or failed) so far. */
    public long events() {
        return eventsWritten.get();
    }

    @Override
    protected void doStart() {
        completions = Executors.newFixedThreadPool(writers, namedThreads.factory("gw-sink-done"));
        accepting = true;
        for (int i = 0; i < writers; i++) {
            Thread thread = namedThreads.newThread("gw-sink-writer-" + i, this::run);
            threads.add(thread);
            thread.start();
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        synchronized (this) {
            accepting = false;
        }
        // the writers write what is queued, then stop
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        threads.clear();
        List<Pending> left = new ArrayList<>();
        pending.drainTo(left);
        left.forEach(p -> p.done().completeExceptionally(new SinkStoppedException()));
        if (completions != null) {
            completions.shutdown();
            completions.awaitTermination(30, TimeUnit.SECONDS);
        }
        long written = batches.get();
        LOG.info("Sink writers stopped: {} events in {} batches ({} per batch)", eventsWritten.get(), written,
                written == 0 ? 0 : eventsWritten.get() / written);
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxEvents);
        try {
            while (gather(batch)) {
                if (!batch.isEmpty()) {
                    write(batch);
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.forEach(p -> p.done().completeExceptionally(new SinkStoppedException()));
        }
    }

    /**
     * Waits a little for a first event, then gathers until the batch is full or its time is up;
     * false once stopped and nothing is left.
     */
    private boolean gather(List<Pending> batch) throws InterruptedException {
        Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return accepting;
        }
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        while (batch.size() < maxEvents) {
            pending.drainTo(batch, maxEvents - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= maxEvents || left <= 0) {
                break;
            }
            Pending next = pending.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return true;
    }

    private void tellStored(List<Pending> written, List<Throwable> outcomes, long storedAt) {
        if (storedListeners.isEmpty()) {
            return;
        }
        for (int i = 0; i < written.size(); i++) {
            if (outcomes.get(i) == null) {
                for (StoredListener listener : storedListeners) {
                    try {
                        listener.stored(written.get(i).event(), storedAt);
                    } catch (RuntimeException e) { // must not keep an event from being acknowledged
                        LOG.warn("A stored-event listener failed: {}", e.toString());
                    }
                }
            }
        }
    }

    private void write(List<Pending> batch) {
        List<Throwable> failures;
        try {
            failures = writer.write(batch.stream().map(Pending::event).toList());
        } catch (RuntimeException e) {
            LOG.error("A batch of {} events could not be written", batch.size(), e);
            failures = java.util.Collections.nCopies(batch.size(), e);
        }
        long storedAt = System.currentTimeMillis();
        batches.incrementAndGet();
        eventsWritten.addAndGet(batch.size());
        List<Pending> written = List.copyOf(batch);
        List<Throwable> outcomes = failures;
        completions.execute(() -> {
            tellStored(written, outcomes, storedAt);
            // completing an event's future completes its exchange, which acks its message: the
            // batch's acks go out together at the end, one per consumer channel (ManualAck)
            ManualAck.acksAfter(() -> {
                for (int i = 0; i < written.size(); i++) {
                    Throwable failure = outcomes.get(i);
                    if (failure == null) {
                        written.get(i).done().complete(null);
                    } else {
                        written.get(i).done().completeExceptionally(failure);
                    }
                }
            });
        });
    }
}
