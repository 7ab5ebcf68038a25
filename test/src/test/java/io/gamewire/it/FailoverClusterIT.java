package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * gamewire on the local 3-node RabbitMQ cluster ({@code -Pcluster}; {@link RabbitCluster}), given
 * its nodes in {@code gamewire.broker.addresses}, with the prod profile's quorum queues and the
 * machine's MariaDB, Redis and memcached: under a steady load (GWP and HTTP, {@link FaultLoad}),
 * the node that gamewire's publisher lane is connected to is killed with kill -9, the load goes on,
 * then the node is started again. gamewire must go on accepting events while the node is down (its
 * connections fail over to the other nodes), answer nothing but success or a retryable refusal
 * (503 / ERROR 206; {@link FaultLoad} fails on anything else), and every acknowledged event must
 * be stored exactly once.
 */
class FailoverClusterIT {

    private static final int RATE = Integer.getInteger("gamewire.cluster.rate", 200);
    private static final Duration DOWN = Duration.ofSeconds(Integer.getInteger("gamewire.cluster.down-s", 20));
    private static final Duration AFTER = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void killingTheNodeOfThePublisherLosesNoAcknowledgedEventAndStoresEachOnce() throws Exception {
        try (RabbitCluster cluster = RabbitCluster.up();
             GamewireUnderTest gw = new GamewireUnderTest(Path.of(System.getProperty("java.io.tmpdir")), true)) {
            gw.overrides.put("gamewire.broker.addresses", RabbitCluster.addresses().stream()
                    .map(a -> a.getHost() + ":" + a.getPort()).collect(Collectors.joining(",")));
            // host and port name the machine's own node: a connection made from them would show up there, not here
            gw.start();
            TestDatabase database = TestDatabase.direct(gw);
            assertThat(cluster.quorumQueue(1, gw.services.get(1)).members()).as("the service queue's members")
                    .isEqualTo(RabbitCluster.nodeNames());

            FaultLoad load = new FaultLoad(gw, RATE).start();
            Set<UUID> ackedAfterRestart;
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> FaultOutcome.stored(database) >= RATE);
                int node = nodeOf(cluster, "gamewire-publisher-0");
                List<Integer> before = connections(cluster, 1 + node % 3).stream().map(Connection::port).toList();
                System.out.println("failover: publisher lane on node " + node + "; gamewire's connections on ports " + before);
                // gamewire's own clients (all but Spring's one connection, "gamewire") pick a node at random each:
                // all six on one node by chance is 3 in 3^6 (0.4 %); in order, they all sat on node 1
                assertThat(connections(cluster, 1 + node % 3).stream().filter(c -> !c.named("gamewire"))
                        .map(Connection::port).distinct().count()).as("nodes of gamewire's own connections %s", before)
                        .isGreaterThan(1);

                long ackedAtKill = load.acked.size();
                cluster.kill9(node);
                // events go on being acknowledged with the node down: the lanes reconnected to another node
                await().atMost(DOWN.plusSeconds(30)).failFast(load::assertNothingRefused)
                        .until(() -> load.acked.size() >= ackedAtKill + RATE);
                await().during(DOWN).atMost(DOWN.plusSeconds(10)).untilAsserted(load::assertNothingRefused);
                int survivor = 1 + node % 3;
                List<Integer> ports = connections(cluster, survivor).stream().map(Connection::port).toList();
                System.out.println("failover: gamewire's connections with node " + node + " down, on ports " + ports);
                assertThat(ports).as("gamewire's connections with node %d down", node).isNotEmpty()
                        .doesNotContain(RabbitCluster.amqpPort(node));
                assertThat(nodeOf(cluster, "gamewire-publisher-0")).isNotEqualTo(node);

                cluster.start(node);
                ackedAfterRestart = load.finish(AFTER, "cluster node " + node + " killed");
            } finally {
                load.close();
            }
            assertThat(load.refused.get()).as("refused for good").isNull();
            assertThat(ackedAfterRestart).as("acknowledged after the node came back").isNotEmpty();
            System.out.println("failover: acked " + load.acked.size() + ", resends " + load.resends.get()
                    + " by cause " + load.resendCauses);

            FaultOutcome outcome = FaultOutcome.count(gw, database, load);
            outcome.assertStoredOnce(gw, load);
            gw.stopApplication();
        }
    }

    /**
     * One of gamewire's AMQP connections: the client properties it sent (with its name,
     * {@code connection_name}) and the AMQP port (node) it is on.
     */
    record Connection(String clientProperties, int port) {

        boolean named(String name) {
            // RabbitMQ 3.10's list_connections has no user_provided_name: the name is among the client properties
            return clientProperties.contains("\"" + name + "\"");
        }
    }

    /** gamewire's AMQP connections, as node {@code askedNode} lists them. */
    private static List<Connection> connections(RabbitCluster cluster, int askedNode) throws Exception {
        JsonNode rows = JSON.readTree(cluster.ctl(askedNode, "list_connections", "client_properties", "port",
                "--formatter", "json", "--quiet"));
        List<Connection> connections = new ArrayList<>();
        rows.forEach(row -> connections.add(new Connection(row.path("client_properties").toString(),
                row.path("port").asInt())));
        return connections.stream().filter(c -> c.clientProperties().contains("gamewire")).toList();
    }

    /** The node (1-3) the connection named {@code name} is on. */
    private static int nodeOf(RabbitCluster cluster, String name) throws Exception {
        for (int asked : RabbitCluster.NODES) {
            try {
                return connections(cluster, asked).stream().filter(c -> c.named(name)).findFirst()
                        .map(c -> c.port() - RabbitCluster.amqpPort(0)).orElseThrow(() ->
                                new AssertionError("no connection " + name));
            } catch (java.io.IOException | RuntimeException e) {
                System.out.println("failover: node " + asked + " did not list the connections: " + e);
            }
        }
        throw new AssertionError("no node lists connection " + name);
    }
}
