package io.gamewire.bench.http;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor under gamewire's single-event HTTP row: the least a bridge from HTTP to a confirmed,
 * persistent RabbitMQ publish does per request, with the same libraries gamewire uses (Vert.x 4,
 * as Camel's platform-http runs it, and the RabbitMQ Java client). Each {@code POST} body is
 * published as it came, persistent, with a message id, to a topic exchange with a quorum queue
 * bound to it, under the last segment of the request's path as routing key, and answered
 * {@code 202 {"messageId": ...}} once the broker confirmed it ({@code 503} when it refused it).
 *
 * <p>What it leaves out, and gamewire does per request: the API key, the routing key's and the
 * payload's checks against the title, the rate limit, the GWP envelope, the Camel exchange and its
 * route (metrics, error handler), ordering per source. It publishes on the request's event loop
 * (under the lane's lock), where gamewire hands each publish to its lane's thread. So what it
 * reaches is the most any Java bridge built from these parts can reach on the same cores, and
 * gamewire's rate against it shows what gamewire's own work costs (bench/run-http-floor.sh).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.http.MinimalHttpBridge \
 *   --amqp-uri amqp://guest:guest@127.0.0.1:5672/gw-bench --port 18790 --name gw-floor-1
 * </pre>
 * Prints {@code READY <port>} once it listens; on SIGTERM it deletes its exchange and queue (both
 * named by {@code --name}) and exits.
 */
public final class MinimalHttpBridge {

    private static final byte[] REFUSED = "{\"error\":\"the broker refused the event\"}".getBytes();

    private final Lane[] lanes;
    private final String exchange;
    private final AtomicInteger next = new AtomicInteger();

    private MinimalHttpBridge(Lane[] lanes, String exchange) {
        this.lanes = lanes;
        this.exchange = exchange;
    }

    public static void main(String[] args) {
        Map<String, String> options = options(args);
        String uri = options.getOrDefault("amqp-uri", "amqp://guest:guest@127.0.0.1:5672/gw-bench");
        String host = options.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(options.getOrDefault("port", "18790"));
        int laneCount = Integer.parseInt(options.getOrDefault("lanes", "4"));
        String name = options.getOrDefault("name", "gw-floor-" + ProcessHandle.current().pid());
        if (laneCount < 1) {
            System.err.println("MinimalHttpBridge: --lanes is at least 1, not " + laneCount);
            System.exit(2);
        }
        try {
            start(uri, host, port, laneCount, name);
        } catch (Exception e) {
            // the AMQP and Vert.x threads would keep the JVM up: leave now (the shutdown hook
            // deletes whatever was declared)
            System.err.println("MinimalHttpBridge: cannot start: " + e);
            System.exit(1);
        }
    }

    private static void start(String uri, String host, int port, int laneCount, String name) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        List<Connection> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAndClose(connections, name)));
        Lane[] lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            Connection connection = factory.newConnection(name + "-lane-" + i);
            connections.add(connection);
            lanes[i] = new Lane(connection.createChannel());
        }
        try (Channel setup = connections.get(0).createChannel()) {
            setup.exchangeDeclare(name, "topic", true);
            setup.queueDeclare(name, true, false, false, Map.of("x-queue-type", "quorum"));
            setup.queueBind(name, name, "#");
        }

        // as many event loops as Vert.x gives platform-http by default: two per core
        Vertx vertx = Vertx.vertx(new VertxOptions());
        MinimalHttpBridge bridge = new MinimalHttpBridge(lanes, name);
        HttpServer server = vertx.createHttpServer().requestHandler(bridge::handle);
        server.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("READY " + server.actualPort());
        System.out.flush();
    }

    private void handle(HttpServerRequest request) {
        if (request.method() != io.vertx.core.http.HttpMethod.POST) {
            request.response().setStatusCode(405).end();
            return;
        }
        String path = request.path();
        String routingKey = path.substring(path.lastIndexOf('/') + 1);
        request.body().onSuccess(body -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String messageId = new UUID(random.nextLong(), random.nextLong()).toString();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .contentType("application/json").messageId(messageId).build();
            Lane lane = lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
            lane.publish(exchange, routingKey, properties, body.getBytes(), confirmed -> {
                // Vert.x writes a response from any thread on its connection's event loop
                if (confirmed) {
                    request.response().setStatusCode(202).putHeader("content-type", "application/json")
                            .end("{\"messageId\":\"" + messageId + "\"}");
                } else {
                    request.response().setStatusCode(503).putHeader("content-type", "application/json")
                            .end(io.vertx.core.buffer.Buffer.buffer(REFUSED));
                }
            });
        });
    }

    /** What a publish's confirm does: true when the broker took the message, false when it refused it. */
    private interface Outcome {
        void done(boolean confirmed);
    }

    /** One connection with one confirm channel; publishes wait for their confirm in order of sequence number. */
    private static final class Lane {
        private final Channel channel;
        private final ConcurrentNavigableMap<Long, Outcome> unconfirmed = new ConcurrentSkipListMap<>();

        Lane(Channel channel) throws java.io.IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, true),
                    (tag, multiple) -> settle(tag, multiple, false));
            // a closed channel confirms nothing more: what waits is refused, not left to time out
            channel.addShutdownListener(cause -> settle(Long.MAX_VALUE, true, false));
        }

        void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body, Outcome outcome) {
            // the sequence number and the publish under one lock, so that they match
            synchronized (this) {
                long sequence = channel.getNextPublishSeqNo();
                unconfirmed.put(sequence, outcome);
                try {
                    channel.basicPublish(exchange, routingKey, properties, body);
                } catch (java.io.IOException | RuntimeException e) {
                    if (unconfirmed.remove(sequence) != null) {
                        outcome.done(false);
                    }
                }
            }
        }

        private void settle(long tag, boolean multiple, boolean confirmed) {
            if (multiple) {
                ConcurrentNavigableMap<Long, Outcome> settled = unconfirmed.headMap(tag, true);
                for (Long sequence : settled.keySet()) {
                    Outcome outcome = settled.remove(sequence);
                    if (outcome != null) {
                        done(outcome, confirmed);
                    }
                }
            } else {
                Outcome outcome = unconfirmed.remove(tag);
                if (outcome != null) {
                    done(outcome, confirmed);
                }
            }
        }

        /** One answer failing (a client gone) must not keep the others of a multiple confirm from theirs. */
        private static void done(Outcome outcome, boolean confirmed) {
            try {
                outcome.done(confirmed);
            } catch (RuntimeException e) {
                System.err.println("MinimalHttpBridge: an answer failed: " + e);
            }
        }
    }

    private static void deleteAndClose(List<Connection> connections, String name) {
        if (connections.isEmpty()) {
            return; // nothing was declared
        }
        try (Channel cleanup = connections.get(0).createChannel()) {
            cleanup.queueDelete(name);
            cleanup.exchangeDelete(name);
        } catch (Exception e) {
            System.err.println("could not delete exchange and queue " + name + ": " + e);
        }
        for (Connection connection : connections) {
            try {
                connection.close(5_000);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }
    }

    /** {@code --name value} pairs; a usage error names the argument. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        List<String> known = List.of("amqp-uri", "host", "port", "lanes", "name");
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(key) || i + 1 >= args.length) {
                System.err.println("MinimalHttpBridge: unknown option or missing value: " + args[i]
                        + " (options: --amqp-uri URI --host H --port N --lanes N --name NAME)");
                System.exit(2);
            }
            options.put(key, args[i + 1]);
        }
        return options;
    }
}
