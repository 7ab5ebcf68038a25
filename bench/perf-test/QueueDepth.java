import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;

/**
 * Prints the number of ready messages in QUEUE, as the queue itself answers a passive declare.
 * {@code rabbitmqctl list_queues} is not used for this: a quorum queue publishes its counts only
 * on its tick (every 5 s), so right after a short fill it can still say 0 (a CI smoke run failed
 * on that, 2026-12-03). Prints nothing and exits 1 when the queue does not exist (or the broker
 * cannot be reached: then with the client's exception). Run with the
 * Java source launcher on PerfTest's class path (it has the RabbitMQ client):
 * {@code java -cp "$perftest_classpath" bench/perf-test/QueueDepth.java URI QUEUE}.
 */
public final class QueueDepth {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: QueueDepth AMQP_URI QUEUE");
            System.exit(2);
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(args[0]);
        try (Connection connection = factory.newConnection("gamewire-bench-depth")) {
            Channel channel = connection.createChannel();
            try {
                System.out.println(channel.queueDeclarePassive(args[1]).getMessageCount());
            } catch (IOException missing) {
                System.err.println("QueueDepth: no queue " + args[1] + ": " + missing.getMessage());
                System.exit(1);
            }
        }
    }
}
