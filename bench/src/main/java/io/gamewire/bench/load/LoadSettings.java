package io.gamewire.bench.load;

import io.gamewire.protocol.client.GamewireClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What to send, where, and for how long.
 *
 * @param ports        gamewire's ports; TCP only may name several (instances behind no load
 *                     balancer): connection i goes to {@code ports[i % ports.size()]}
 * @param workers      TCP connections, or concurrent HTTP requests
 * @param inFlight     TCP only: the window of unacknowledged events per connection
 * @param batchSize    HTTP only: 0 for one event per {@code POST /v1/events/{key}}, otherwise the
 *                     events per NDJSON {@code POST /v1/events}
 * @param targetRate   events per second over all workers; 0 for as fast as the server answers
 * @param timeout      connect timeout, and how long one HTTP request or the probe may take
 * @param timeline     where to write the measured part's latency second by second ({@link Timeline}),
 *                     or null
 */
record LoadSettings(Mode mode, String host, List<Integer> ports, String apiKey, String routingKey, int payloadBytes,
        int workers, int inFlight, int batchSize, double targetRate, Duration warmup, Duration duration,
        Duration timeout, Path timeline) {

    enum Mode { TCP, HTTP }

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_TCP_PORT = 7400;
    /** gamewire.http.port in config/application.properties. */
    static final int DEFAULT_HTTP_PORT = 8080;
    static final String DEFAULT_API_KEY = "halo-demo-key";
    static final String DEFAULT_ROUTING_KEY = "halo.prod.stats.match_end";
    static final int DEFAULT_PAYLOAD_BYTES = 256;
    static final int DEFAULT_CONNECTIONS = 4;
    static final int DEFAULT_IN_FLIGHT = 256;
    static final int DEFAULT_CONCURRENCY = 16;
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** A sanity bound only: gamewire refuses a body over gamewire.http.max-body-bytes with 413 anyway. */
    static final int MAX_BATCH = 10_000;

    /** The one port of an HTTP load, or the first of a TCP load's. */
    int port() {
        return ports.get(0);
    }

    /** The port of TCP connection {@code worker}: the ports in turn, as a round-robin balancer would. */
    int port(int worker) {
        return ports.get(worker % ports.size());
    }

    boolean paced() {
        return targetRate > 0;
    }

    static LoadSettings parse(Mode mode, Args args) throws UsageException {
        String host = args.text("host", DEFAULT_HOST);
        List<Integer> ports = args.integers("port", mode == Mode.TCP ? DEFAULT_TCP_PORT : DEFAULT_HTTP_PORT, 1, 65_535);
        if (mode == Mode.HTTP && ports.size() > 1) {
            throw new UsageException("--port takes one port for http (several, comma-separated, for tcp only)");
        }
        String apiKey = args.text("api-key", DEFAULT_API_KEY);
        String routingKey = args.text("routing-key", DEFAULT_ROUTING_KEY);
        int payloadBytes = args.integer("size", DEFAULT_PAYLOAD_BYTES, Payloads.MIN_BYTES, 1_000_000);
        int workers;
        int inFlight = 0;
        int batchSize = 0;
        if (mode == Mode.TCP) {
            workers = args.integer("connections", DEFAULT_CONNECTIONS, 1, 10_000);
            inFlight = args.integer("in-flight", DEFAULT_IN_FLIGHT, 1, GamewireClient.MAX_IN_FLIGHT_CEILING);
            if (workers < ports.size()) {
                throw new UsageException("--connections " + workers + " leaves some of the " + ports.size()
                        + " ports of --port without a connection");
            }
        } else {
            workers = args.integer("concurrency", DEFAULT_CONCURRENCY, 1, 10_000);
            batchSize = args.integer("batch", 0, 0, MAX_BATCH);
        }
        double rate = args.decimal("rate", 0, 0);
        Duration warmup = args.duration("warmup", DEFAULT_WARMUP, Duration.ZERO);
        Duration duration = args.duration("duration", DEFAULT_DURATION, Duration.ofSeconds(1));
        Duration timeout = args.duration("timeout", DEFAULT_TIMEOUT, Duration.ofMillis(100));
        String timeline = args.text("timeline", "");
        if (!timeline.isEmpty() && !Files.isDirectory(Path.of(timeline).toAbsolutePath().getParent())) {
            throw new UsageException("--timeline " + timeline + ": its folder does not exist");
        }
        args.requireNoneLeft();
        return new LoadSettings(mode, host, ports, apiKey, routingKey, payloadBytes, workers, inFlight, batchSize,
                rate, warmup, duration, timeout, timeline.isEmpty() ? null : Path.of(timeline));
    }

    /** One line for the report: what was run. */
    String describe() {
        String shape = switch (mode) {
            case TCP -> "tcp " + host + ":" + ports.stream().map(String::valueOf).collect(Collectors.joining(","))
                    + ", " + workers + " connections x window " + inFlight;
            case HTTP -> "http " + host + ":" + port() + ", concurrency " + workers + ", "
                    + (batchSize == 0 ? "single events" : "NDJSON batches of " + batchSize);
        };
        return shape + ", payload " + payloadBytes + " B to " + routingKey + ", "
                + (paced() ? "target " + Math.round(targetRate) + " events/s" : "unpaced") + ", "
                + warmup.toMillis() / 1000.0 + " s warm-up + " + duration.toMillis() / 1000.0 + " s";
    }
}
