import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the broker alone drains: CONSUMERS channels with a prefetch of PREFETCH take COUNT messages
 * from QUEUE, each acked on its own as gamewire's consumers ack, and nothing else is done with
 * them. Prints the rate from the first delivery to the COUNT-th, as
 * {@code RESULT drained=N seconds=S messages_per_s=R}. PerfTest's consumer message count did not
 * end its run here, hence this. Run with the Java source launcher on PerfTest's class path:
 * {@code java -cp "$perftest_classpath" bench/perf-test/DrainQueue.java URI QUEUE CONSUMERS PREFETCH COUNT}.
 */
public final class DrainQueue {

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: DrainQueue AMQP_URI QUEUE CONSUMERS PREFETCH COUNT");
            System.exit(2);
        }
        int consumers = Integer.parseInt(args[2]);
        int prefetch = Integer.parseInt(args[3]);
        long count = Long.parseLong(args[4]);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(args[0]);
        AtomicLong received = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (Connection connection = factory.newConnection("gamewire-bench-drain")) {
            for (int i = 0; i < consumers; i++) {
                Channel channel = connection.createChannel();
                channel.basicQos(prefetch);
                channel.basicConsume(args[1], false, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                               byte[] body) throws IOException {
                        firstNanos.compareAndSet(0, System.nanoTime());
                        getChannel().basicAck(envelope.getDeliveryTag(), false);
                        if (received.incrementAndGet() == count) {
                            lastNanos.set(System.nanoTime());
                            done.countDown();
                        }
                    }
                });
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                System.err.println("DrainQueue: only " + received.get() + " of " + count + " messages in 10 minutes");
                System.exit(1);
            }
        }
        double seconds = (lastNanos.get() - firstNanos.get()) / 1e9;
        System.out.printf("RESULT drained=%d seconds=%.2f messages_per_s=%.1f%n", count, seconds, (count - 1) / seconds);
    }
}
