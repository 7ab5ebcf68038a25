import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Deletes the queue and the exchange a PerfTest run declared, since a quorum queue cannot be
 * auto-deleted and rabbitmqadmin may not exist. Run with the Java source launcher on PerfTest's
 * class path (it has the RabbitMQ client):
 * {@code java -cp "$perftest_classpath" bench/perf-test/DeleteAmqpObjects.java URI QUEUE EXCHANGE};
 * an empty EXCHANGE deletes the queue only.
 */
public final class DeleteAmqpObjects {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: DeleteAmqpObjects AMQP_URI QUEUE EXCHANGE");
            System.exit(2);
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(args[0]);
        try (Connection connection = factory.newConnection("gamewire-bench-cleanup");
                Channel channel = connection.createChannel()) {
            // both are no-ops for names that do not exist (RabbitMQ 3.x and later)
            int messages = channel.queueDelete(args[1]).getMessageCount();
            if (!args[2].isEmpty()) {
                channel.exchangeDelete(args[2]);
            }
            System.out.println("deleted queue " + args[1] + " (" + messages + " messages) and exchange " + args[2]);
        }
    }
}
