package io.gamewire.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local 3-node RabbitMQ cluster of {@code bench/cluster/rabbitmq-cluster.sh}, for tests: up in a
 * folder of the test's own, its nodes killed and started by number (1-3), down with its folder on
 * {@link #close()} or, when a run is cut short, by a JVM shutdown hook.
 *
 * <p>All the work is the script's (node environment, cookie, joining), so that tests, benchmarks
 * and a person at a shell run the same cluster. Its ports are the script's defaults (AMQP
 * 5701-5703): one such cluster runs on a machine at a time, and the script refuses to start over
 * another.
 */
final class RabbitCluster implements AutoCloseable {

    static final Path SCRIPT = Path.of(System.getProperty("user.dir"))
            .resolve("../bench/cluster/rabbitmq-cluster.sh").normalize();
    static final List<Integer> NODES = List.of(1, 2, 3);
    private static final int AMQP_BASE = 5700;
    /** Three nodes started and joined on 2 busy cores take ~30 s; a wide margin. */
    private static final Duration UP_LIMIT = Duration.ofMinutes(5);
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RabbitCluster.class);

    private final Path dir;
    private final StopAtExit stopping = new StopAtExit("rabbit-cluster-down", this::downQuietly);

    private RabbitCluster(Path dir) {
        this.dir = dir;
    }

    /** Three nodes joined into one cluster, running when this returns. */
    static RabbitCluster up() throws IOException, InterruptedException {
        RabbitCluster cluster = new RabbitCluster(Files.createTempDirectory("gw-rabbit-cluster-"));
        try {
            cluster.script(UP_LIMIT, "up");
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    static String nodeName(int node) {
        return "gw-c" + node + "@localhost";
    }

    /** The number (1-3) of the node named {@code name}, e.g. a queue's leader. */
    static int nodeNumber(String name) {
        for (int node : NODES) {
            if (nodeName(node).equals(name)) {
                return node;
            }
        }
        throw new IllegalArgumentException(name + " is not a node of the test's cluster (" + nodeNames() + ")");
    }

    static Set<String> nodeNames() {
        Set<String> names = new TreeSet<>();
        NODES.forEach(node -> names.add(nodeName(node)));
        return names;
    }

    static int amqpPort(int node) {
        return AMQP_BASE + node;
    }

    /** Every node's AMQP address, node 1 first: what a client that fails over is given. */
    static List<Address> addresses() {
        List<Address> addresses = new ArrayList<>();
        NODES.forEach(node -> addresses.add(new Address("127.0.0.1", amqpPort(node))));
        return addresses;
    }

    /** Crashes node {@code node}: SIGKILL to its Erlang VM, returning once the VM is gone. */
    void kill9(int node) throws IOException, InterruptedException {
        script(COMMAND_LIMIT, "kill-9", Integer.toString(node));
    }

    /** Starts node {@code node} again (after {@link #kill9}); running, back in the cluster, when this returns. */
    void start(int node) throws IOException, InterruptedException {
        script(COMMAND_LIMIT, "start", Integer.toString(node));
    }

    /** {@code rabbitmqctl} against node {@code node}, with the cluster's cookie; its output. */
    String ctl(int node, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ctl", Integer.toString(node)));
        command.addAll(List.of(arguments));
        return script(COMMAND_LIMIT, command.toArray(String[]::new));
    }

    /** A quorum queue as node {@code askedNode} sees it: its leader, its members and those of them online. */
    QuorumQueue quorumQueue(int askedNode, String queue) throws IOException, InterruptedException {
        JsonNode queues = JSON.readTree(ctl(askedNode, "list_queues", "name", "type", "leader", "members",
                "online", "--formatter", "json", "--quiet"));
        for (JsonNode row : queues) {
            if (queue.equals(row.path("name").asText())) {
                if (!"quorum".equals(row.path("type").asText())) {
                    throw new IllegalStateException(queue + " is a " + row.path("type").asText() + " queue, not quorum");
                }
                return new QuorumQueue(row.path("leader").asText(), names(row.path("members")),
                        names(row.path("online")));
            }
        }
        throw new IllegalStateException("no queue " + queue + " on " + nodeName(askedNode) + ": " + queues);
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new TreeSet<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }

    /** A quorum queue's leader node, its members and the members that are online, by node name. */
    record QuorumQueue(String leader, Set<String> members, Set<String> online) {
    }

    private String script(Duration limit, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(arguments));
        return Commands.output(limit, command, null, Map.of("GW_CLUSTER_DIR", dir.toString()));
    }

    /** The script's down: the nodes stopped (killed if they do not stop) and the folder deleted. */
    private void downQuietly() {
        try {
            script(COMMAND_LIMIT, "down");
        } catch (IOException | RuntimeException e) {
            // not thrown from close(): a test's own failure matters more; the next up names the taken port
            LOG.warn("the test's RabbitMQ cluster in {} did not go down: {}", dir, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping.close();
    }
}
