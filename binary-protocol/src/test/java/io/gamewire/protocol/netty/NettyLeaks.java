package io.gamewire.protocol.netty;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects Netty's buffer leak reports, with every buffer tracked (level PARANOID).
 *
 * <p>Netty only notices a leak when the garbage collector has reclaimed the unreleased buffer and
 * a later allocation polls for it, so {@link #collect()} leaks one buffer of its own, a canary
 * with a unique hint, and collects garbage until the canary is reported. Leaks of buffers dropped
 * before the canary are reported by then; and a detector that reports nothing makes
 * {@link #collect()} fail instead of passing for want of reports.
 */
public final class NettyLeaks {

    /** Starts the hint of buffers leaked on purpose (canaries, the self-test), so that logs can leave them out. */
    public static final String EXPECTED_LEAK_HINT = "expected leak: ";

    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();
    private static boolean watching;

    private NettyLeaks() {
    }

    /** Tracks every buffer from now on; idempotent. */
    public static synchronized void watch() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        if (!watching) {
            ByteBufUtil.setLeakListener((resourceType, records) -> REPORTS.add(resourceType + " leaked:\n" + records));
            watching = true;
        }
    }

    /** The leaks reported since the last call, waiting (up to 10 s) until Netty has had the chance to see them. */
    public static synchronized List<String> collect() {
        watch();
        String canary = EXPECTED_LEAK_HINT + "canary " + UUID.randomUUID(); // unique: Netty reports a given trace once
        leakOneBuffer(canary);
        await("Netty's leak detector to report the canary buffer (is leak detection working?)")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    System.gc();
                    ByteBufAllocator.DEFAULT.buffer(1).release(); // allocation is when Netty polls for leaks
                    return REPORTS.stream().anyMatch(report -> report.contains(canary));
                });
        List<String> leaks = new ArrayList<>();
        for (String report; (report = REPORTS.poll()) != null; ) {
            if (!report.contains(canary)) {
                leaks.add(report);
            }
        }
        return leaks;
    }

    /** Allocates and drops a buffer without releasing it; a method of its own so that no local keeps it reachable. */
    static void leakOneBuffer(String hint) {
        ByteBufAllocator.DEFAULT.buffer(1).touch(hint);
    }
}
