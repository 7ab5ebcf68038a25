package io.gamewire.bench.load;

import io.gamewire.protocol.MalformedFrameException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The gamewire load generator: {@code tcp} sends events over GWP with {@link io.gamewire.protocol.client.GamewireClient},
 * {@code http} posts them to the HTTP API, singly or in NDJSON batches. Run from the bench jar:
 * {@code java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain tcp --connections 4}.
 */
public final class LoadMain {

    static final String USAGE = """
            Usage: java -cp bench/target/benchmarks.jar io.gamewire.bench.load.LoadMain MODE [options]

            Modes:
              tcp           events over GWP/TCP, one GamewireClient per connection, each keeping up to
                            --in-flight events unacknowledged; counts ACKs
              http          POST /v1/events/{routingKey} (--batch 0), or NDJSON batches to
                            POST /v1/events (--batch N); counts events answered 202
              silent        --connections GWP clients (default 50) that AUTH, then send EVENT frames
                            as fast as their sockets take them for --duration (default 60s) and
                            never read; prints the frames written (the server's memory must
                            stay bounded: bench/soak.sh records it)
              frame-bytes   print the size of the AMQP message gamewire publishes for one event
                            of --size payload bytes (for broker-only benchmarks), and exit

            Options (all modes):
              --host HOST          gamewire's address (default 127.0.0.1)
              --port PORT          default 7400 for tcp (gamewire.tcp.port), 8080 for http (gamewire.http.port);
                                   tcp: several instances' ports, comma-separated, take the
                                   connections in turn (connection i on port i mod n)
              --api-key KEY        the title's API key, sent in AUTH or as Bearer (default halo-demo-key)
              --routing-key KEY    default halo.prod.stats.match_end; the payload is a match_end
                                   (matchId, map, durationSeconds) with a "pad" field
              --size BYTES         JSON payload size, at least %d (default %d)
              --rate N             target events/s over all workers, 0 = as fast as answered (default 0);
                                   when set, latency counts from when each send was due
              --warmup DURATION    sent but not counted, e.g. 5s, 500ms, 1m (default 5s)
              --duration DURATION  counted (default 30s)
              --timeout DURATION   connect timeout, HTTP request timeout, probe timeout (default 10s)
              --timeline FILE      also write the measured part second by second to FILE (CSV:
                                   second, end_ms (epoch), answered, p50_ms, p99_ms, max_ms): when the tail
                                   latency came, not only how large it was
            tcp:
              --connections N      connections, one sending thread each (default %d)
              --in-flight N        unacknowledged events per connection, 1-65536 (default %d)
            http:
              --concurrency N      requests in flight, one thread and connection each (default %d)
              --batch N            0 = single events; N = events per NDJSON request (default 0)

            Before the run, one probe event (or batch) must be accepted; otherwise the run stops with
            what the server said. Output: a summary, then one line
            "RESULT mode=... events_per_s=... errors=... p50_ms=... p99_ms=... p999_ms=... accepted_total=...
            load_cpu_us=..." (accepted_total: every event accepted, the warm-up included; load_cpu_us:
            this load generator's own CPU per event accepted in the counted seconds, in µs).
            Exit status: 0 after a run, 1 when the server is missing or refuses the probe, 2 on a
            usage error.
            """.formatted(Payloads.MIN_BYTES, LoadSettings.DEFAULT_PAYLOAD_BYTES, LoadSettings.DEFAULT_CONNECTIONS,
            LoadSettings.DEFAULT_IN_FLIGHT, LoadSettings.DEFAULT_CONCURRENCY);

    private LoadMain() {
    }

    public static void main(String[] argv) {
        // the client's and Netty's warnings only; their info and debug lines would drown the report
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        List<String> tokens = Arrays.asList(argv);
        if (tokens.isEmpty() || tokens.contains("--help") || tokens.contains("-h")) {
            System.out.print(USAGE);
            System.exit(tokens.isEmpty() ? 2 : 0);
        }
        try {
            System.exit(run(tokens.get(0), Args.parse(tokens.subList(1, tokens.size()))));
        } catch (UsageException e) {
            System.err.println("load: " + e.getMessage() + " (see --help)");
            System.exit(2);
        } catch (LoadFailure e) {
            System.err.println("load: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    private static int run(String mode, Args args) throws UsageException, LoadFailure, InterruptedException {
        if (mode.equals("frame-bytes")) {
            return printFrameBytes(args);
        }
        if (mode.equals("silent")) {
            return SilentClients.run(args);
        }
        LoadSettings settings = switch (mode) {
            case "tcp" -> LoadSettings.parse(LoadSettings.Mode.TCP, args);
            case "http" -> LoadSettings.parse(LoadSettings.Mode.HTTP, args);
            default -> throw new UsageException("unknown mode '" + mode + "'; modes are tcp, http, silent, frame-bytes");
        };
        Payloads payloads = new Payloads(settings.payloadBytes());
        Measurement measurement = new Measurement();
        List<Sender> senders = settings.mode() == LoadSettings.Mode.TCP
                ? TcpSender.openAll(settings, payloads, measurement)
                : HttpSender.openAll(settings, payloads, measurement);
        Measurement.Result result;
        try {
            result = new LoadRunner().run(settings, senders, measurement);
        } catch (UncheckedIOException e) {
            throw new LoadFailure(e.getMessage() + ": " + e.getCause().getMessage(), e);
        } finally {
            senders.forEach(Sender::close);
        }
        Report.print(settings, result, System.out);
        return 0;
    }

    private static int printFrameBytes(Args args) throws UsageException, LoadFailure {
        String routingKey = args.text("routing-key", LoadSettings.DEFAULT_ROUTING_KEY);
        int size = args.integer("size", LoadSettings.DEFAULT_PAYLOAD_BYTES, Payloads.MIN_BYTES, 1_000_000);
        args.requireNoneLeft();
        try {
            System.out.println(BusMessageSize.of(routingKey, size));
            return 0;
        } catch (MalformedFrameException e) {
            throw new LoadFailure("no GWP frame for this event: " + e.getMessage(), e);
        }
    }
}
