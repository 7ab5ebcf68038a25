package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local 3-node cluster ({@code bench/cluster/rabbitmq-cluster.sh}, through {@link RabbitCluster})
 * does what the cluster tests and benchmarks rely on: a quorum queue declared on one node has a
 * member on each of the three, and the messages confirmed to it outlive a kill -9 of its leader.
 * Only in the {@code cluster} profile ({@code mvn -B verify -Pcluster -pl test}): it starts three
 * RabbitMQ nodes.
 */
class RabbitClusterIT {

    private static final int MESSAGES = 200;

    private static RabbitCluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = RabbitCluster.up();
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aQuorumQueueHasAMemberOnEachNodeAndOutlivesItsLeadersKill() throws Exception {
        String queue = "cluster-smoke";
        try (Connection connection = connect(1); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
        }
        RabbitCluster.QuorumQueue declared = cluster.quorumQueue(1, queue);
        assertThat(declared.members()).as("members of %s, declared on node 1", queue)
                .isEqualTo(RabbitCluster.nodeNames());

        Set<String> published = new HashSet<>();
        try (Connection connection = connect(2); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < MESSAGES; i++) {
                String body = "message-" + i;
                channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body.getBytes(StandardCharsets.UTF_8));
                published.add(body);
            }
            channel.waitForConfirmsOrDie(30_000);
        }

        int leader = RabbitCluster.nodeNumber(declared.leader());
        cluster.kill9(leader);
        int survivor = leader % 3 + 1;
        // a new leader is elected among the two left; until then the queue does not answer
        await("a new leader of " + queue + " after " + declared.leader() + " was killed")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> cluster.quorumQueue(survivor, queue).leader(),
                        newLeader -> !newLeader.equals(declared.leader()) && !newLeader.isEmpty());
        List<String> consumed = new ArrayList<>();
        try (Connection connection = connect(survivor); Channel channel = connection.createChannel()) {
            await("the " + MESSAGES + " messages confirmed before the leader's kill, on node " + survivor)
                    .atMost(Duration.ofSeconds(60)).until(() -> {
                        GetResponse response;
                        while ((response = channel.basicGet(queue, true)) != null) {
                            consumed.add(new String(response.getBody(), StandardCharsets.UTF_8));
                        }
                        return consumed.size() >= MESSAGES;
                    });
        }
        assertThat(consumed).as("messages read on node %d after the leader's kill", survivor)
                .containsExactlyInAnyOrderElementsOf(published);

        cluster.start(leader);
        await("all members of " + queue + " online after " + declared.leader() + " was started again")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> cluster.quorumQueue(leader, queue).online(), RabbitCluster.nodeNames()::equals);
        try (Connection connection = connect(leader); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        }
    }

    private static Connection connect(int node) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(RabbitCluster.amqpPort(node));
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("rabbit-cluster-it");
    }
}
