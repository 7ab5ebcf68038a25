package io.gamewire.pulls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The items {@link ItemEmitter} sent in one run that the broker has not confirmed yet, and the
 * dedupe they feed: an id is marked seen in {@link PullDedupe} only once its confirm came in, so an
 * item whose publish failed is sent again by the re-fetch that follows the failure.
 */
final class PendingConfirms {

    private static final Logger LOG = LoggerFactory.getLogger(PullRunner.class);

    /** The longest wait for one confirm; the bus publisher's own timeout should come first. */
    static final Duration CONFIRM_WAIT = Duration.ofMinutes(2);

    /** An item sent, not yet confirmed; {@code refusal} is the schema's refusal when it was dead-lettered. */
    record Pending(int page, String id, long index, long line, CompletableFuture<Void> confirm, String refusal) {

        boolean deadLettered() {
            return refusal != null;
        }

        /** "page 2: item at index 7 (id r-812)", for messages. */
        String describe() {
            return "page " + page + ": " + PageReader.position(index, line) + " (id " + id + ")";
        }
    }

    private final String name;
    private final PullDedupe dedupe;
    private final PullCheckpoint checkpoint;
    private final List<Pending> pending = new ArrayList<>();
    private final Set<String> inFlight = new HashSet<>();
    private long published;
    private long deadLettered;

    /** @param checkpoint says in a failure's message where the watermark stays */
    PendingConfirms(String name, PullDedupe dedupe, PullCheckpoint checkpoint) {
        this.name = name;
        this.dedupe = dedupe;
        this.checkpoint = checkpoint;
    }

    /**
     * Whether {@code id} was confirmed lately (then it is remembered anew, from now) or is awaiting
     * its confirm: a duplicate. Otherwise it counts as in flight from now on, so the page cannot
     * send it twice.
     */
    boolean sentBefore(String id) {
        if (dedupe.seen(id)) {
            // seen again: remembered from now on, so a page read again and again (an index's current
            // page) does not outlive its ids' dedupe-ttl
            dedupe.markSeen(id);
            return true;
        }
        return !inFlight.add(id);
    }

    /** @return how many items await their confirm now */
    int add(Pending item) {
        pending.add(item);
        return pending.size();
    }

    /**
     * Waits for every pending confirm; marks the confirmed ids seen (a dead-lettered one too: it is
     * safe in its .dlq); fails on the first refusal by the broker.
     */
    void awaitAll() throws PullFailedException {
        PullFailedException first = null;
        long deadline = System.nanoTime() + CONFIRM_WAIT.toNanos();
        for (Pending item : pending) {
            try {
                item.confirm().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                confirmed(item);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (first == null) {
                    first = new PullFailedException(name + ": " + item.describe() + " was not "
                            + (item.deadLettered() ? "dead-lettered" : "published") + ": "
                            + PageFetcher.message(cause) + checkpoint.watermarkStays(), cause);
                }
            } catch (TimeoutException e) {
                if (first == null) {
                    first = new PullFailedException(name + ": " + item.describe() + " was not confirmed within "
                            + CONFIRM_WAIT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                first = new PullFailedException(name + ": page " + item.page()
                        + ": interrupted while waiting for confirms");
                break;
            }
        }
        pending.clear();
        inFlight.clear();
        // before the caller stores the page's watermark: the marks must not lag behind it
        try {
            dedupe.flush();
        } catch (RuntimeException e) {
            if (first == null) {
                throw e;
            }
            first.addSuppressed(e);
        }
        if (first != null) {
            throw first;
        }
    }

    private void confirmed(Pending item) {
        dedupe.markSeen(item.id());
        if (item.deadLettered()) {
            deadLettered++;
            LOG.warn("Pull {}: {} dead-lettered, its payload was refused: {}", name, item.describe(), item.refusal());
        } else {
            published++;
        }
    }

    /**
     * After a failure mid-page: still marks what was confirmed, so a re-fetch skips it.
     *
     * @return whether every item sent was confirmed
     */
    boolean settle() {
        try {
            awaitAll();
            return true;
        } catch (PullFailedException | RuntimeException alreadyFailing) {
            // the run fails with the first error; this one is a consequence or a second opinion
            // (a KV store that failed to keep the marks: the items come again, stored once)
            LOG.debug("Pull {}: {}", name, alreadyFailing.toString());
            return false;
        }
    }

    /** Items published and confirmed so far. */
    long published() {
        return published;
    }

    /** Items dead-lettered and confirmed so far. */
    long deadLettered() {
        return deadLettered;
    }
}
