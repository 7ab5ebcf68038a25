package io.gamewire.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the fault suite ({@code -Pfaults}, the {@code *FaultsIT}s) measured, one JSON line per
 * scenario in {@code target/faults/results.jsonl}, which {@link FaultReportCheck} turns into the
 * table of docs/RELIABILITY.md. A run starts the file anew.
 */
final class FaultRun {

    static final Path RESULTS = Path.of("target", "faults", "results.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        try {
            Files.createDirectories(RESULTS.getParent());
            Files.deleteIfExists(RESULTS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private FaultRun() {
    }

    /** One scenario's figures, in the order of the report's columns. */
    record Result(String scenario, String broken, int outageSeconds, int offeredPerSecond, double ackedPerSecond,
                  long acked, long storedOfAcked, long lostAcked, long storedNeverSent, long clientResends,
                  long duplicatesAbsorbed, double recoverSeconds, long peakHeapMb) {
    }

    /** Adds the figures of a scenario run on {@code gw}'s stack. */
    static synchronized void record(GamewireUnderTest gw, Result result) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        for (var component : Result.class.getRecordComponents()) {
            try {
                line.put(component.getName(), component.getAccessor().invoke(result));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        line.put("stack", gw.onServices ? "services" : "embedded");
        line.put("at", java.time.Instant.now().toString());
        Files.writeString(RESULTS, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Starts counting the heap's peak anew. */
    static void resetPeakHeap() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The heap's peak since {@link #resetPeakHeap}, MB: the sum of its pools' peaks (an upper bound). */
    static long peakHeapMb() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum() / (1024 * 1024);
    }

    private static java.util.List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
    }
}
