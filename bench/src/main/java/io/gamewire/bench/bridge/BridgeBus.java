package io.gamewire.bench.bridge;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.bus.BusMessages;
import io.gamewire.bus.EventSource;
import io.gamewire.ingest.BusGateway;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.MalformedFrameException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The broker side of a floor bridge: {@code lanes} connections with a {@link ConfirmLane} each, a
 * topic exchange with a quorum queue bound to it under {@code #} (both named by the bridge's
 * {@code --name}), and a shutdown hook that deletes the two and closes the connections, so that a
 * bridge stopped by SIGTERM leaves nothing on the broker.
 *
 * <p>{@code --message gamewire} makes a bridge publish what gamewire publishes for an event (the
 * envelope stamped with {@code gw-received-at} and {@code gw-source}, the {@code gw-source} AMQP
 * header and a timestamp; {@link #gamewireMessage}) in place of what came in: it tells how much of
 * the broker's CPU per event beside gamewire is the message, not gamewire's way of publishing.
 */
public final class BridgeBus {

    private final String exchange;
    private final ConfirmLane[] lanes;
    private final boolean gamewireMessages;
    /** The limits gamewire publishes under (a client's, and room for the attributes gamewire adds). */
    private final EnvelopeCodec codec = new EnvelopeCodec(BusMessages.busLimits(GwpLimits.DEFAULTS));

    private BridgeBus(String exchange, ConfirmLane[] lanes, boolean gamewireMessages) {
        this.exchange = exchange;
        this.lanes = lanes;
        this.gamewireMessages = gamewireMessages;
    }

    /** How a bridge starts listening once its bus is open. */
    @FunctionalInterface
    public interface Server {
        /** Listens on {@code host}:{@code port} (0: any free port) and returns the port. */
        int listen(BridgeBus bus, String host, int port) throws Exception;
    }

    /**
     * A bridge's {@code main}: reads its options ({@link #options}), opens its bus, starts its
     * server and prints {@code READY <port>}; a failure to start ends the process with status 1
     * (the shutdown hook deletes whatever was declared).
     */
    public static void run(String bridge, String[] args, int defaultPort, Server server) {
        Map<String, String> options = options(bridge, args);
        try {
            BridgeBus bus = open(options.getOrDefault("amqp-uri", "amqp://guest:guest@127.0.0.1:5672/gw-bench"),
                    Integer.parseInt(options.getOrDefault("lanes", "4")),
                    options.getOrDefault("name", "gw-floor-" + ProcessHandle.current().pid()),
                    "gamewire".equals(options.get("message")));
            int port = server.listen(bus, options.getOrDefault("host", "127.0.0.1"),
                    Integer.parseInt(options.getOrDefault("port", String.valueOf(defaultPort))));
            System.out.println("READY " + port);
            System.out.flush();
        } catch (Exception e) {
            // the AMQP and server threads would keep the JVM up: leave now
            System.err.println(bridge + ": cannot start: " + e);
            System.exit(1);
        }
    }

    /**
     * Connects the lanes and declares the exchange and queue named {@code name}; with
     * {@code gamewireMessages} the bridge publishes gamewire's message for each event ({@code --message}).
     */
    public static BridgeBus open(String uri, int laneCount, String name, boolean gamewireMessages) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        List<Connection> connections = new CopyOnWriteArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAndClose(connections, name)));
        ConfirmLane[] lanes = new ConfirmLane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            Connection connection = factory.newConnection(name + "-lane-" + i);
            connections.add(connection);
            lanes[i] = new ConfirmLane(connection.createChannel(), name);
        }
        try (Channel setup = connections.get(0).createChannel()) {
            setup.exchangeDeclare(name, "topic", true);
            setup.queueDeclare(name, true, false, false, Map.of("x-queue-type", "quorum"));
            setup.queueBind(name, name, "#");
        }
        return new BridgeBus(name, lanes, gamewireMessages);
    }

    /** Whether the bridge publishes gamewire's message for each event ({@code --message gamewire}). */
    public boolean gamewireMessages() {
        return gamewireMessages;
    }

    /**
     * What gamewire publishes for {@code event} (EnvelopePublisher's): the envelope stamped by
     * gamewire's own {@link BusGateway#stamped}, encoded with the bus's limits, and BusMessages'
     * properties for an event from {@code source}.
     */
    public Outgoing gamewireMessage(Envelope event, EventSource source) throws MalformedFrameException {
        Envelope stamped = BusGateway.stamped(event, source);
        return new Outgoing(BusMessages.event(stamped.messageId(), stamped.timestamp(), source),
                codec.encode(stamped));
    }

    /** An event's AMQP properties and body as a bridge publishes them. */
    public record Outgoing(AMQP.BasicProperties properties, byte[] body) {
    }

    public String exchange() {
        return exchange;
    }

    /** The lane of a number (a request's, a connection's): they take turns. */
    public ConfirmLane lane(int number) {
        return lanes[Math.floorMod(number, lanes.length)];
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

    /**
     * A bridge's {@code --name value} pairs (every bridge takes --amqp-uri, --host, --port, --lanes,
     * --name and --message as-sent|gamewire); a usage error names the argument and ends the process
     * with status 2.
     */
    public static Map<String, String> options(String bridge, String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> known = List.of("amqp-uri", "host", "port", "lanes", "name", "message");
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(key) || i + 1 >= args.length) {
                System.err.println(bridge + ": unknown option or missing value: " + args[i]
                        + " (options: --amqp-uri URI --host H --port N --lanes N --name NAME --message as-sent|gamewire)");
                System.exit(2);
            }
            options.put(key, args[i + 1]);
        }
        String lanes = options.getOrDefault("lanes", "4");
        if (!lanes.matches("[1-9][0-9]*")) {
            System.err.println(bridge + ": --lanes is a number of at least 1, not " + lanes);
            System.exit(2);
        }
        String message = options.getOrDefault("message", "as-sent");
        if (!message.equals("as-sent") && !message.equals("gamewire")) {
            System.err.println(bridge + ": --message is as-sent or gamewire, not " + message);
            System.exit(2);
        }
        return options;
    }
}
