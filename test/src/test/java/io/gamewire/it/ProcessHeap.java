package io.gamewire.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak heap of gamewire processes ({@link GamewireUnderTest#startProcess}), from their own
 * {@code /observe/metrics}: the fault scenarios that run gamewire in processes of its own report it
 * instead of the test JVM's.
 */
final class ProcessHeap {

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong peakBytes = new AtomicLong();

    /** Keeps the highest heap in use the running process reports (its metrics may not answer mid-start). */
    void sample(GamewireUnderTest gw) {
        try {
            HttpResponse<java.util.stream.Stream<String>> metrics = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gw.httpPort + "/observe/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofLines());
            long heap = metrics.body().filter(line -> line.startsWith("jvm_memory_used_bytes{")
                            && line.contains("area=\"heap\""))
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
            peakBytes.accumulateAndGet(heap, Math::max);
        } catch (Exception e) {
            // not up, or down: the next sample counts
        }
    }

    long peakMb() {
        return peakBytes.get() / (1024 * 1024);
    }
}
