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
 * {@code java -cp "$perftest_classpath" bench/perf-test/DrainQueue.java URI QUEUE CONSUMERS PREFETCH COUNT [ACK_EVERY]}.
 * With ACK_EVERY above 1, a channel acks every ACK_EVERY-th delivery with {@code multiple=true}
 * (and what is left at the end; keep it at most PREFETCH), to see what acking in batches saves the
 * broker.
 */
public final class DrainQueue {

    public static void main(String[] args) throws Exception {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: DrainQueue AMQP_URI QUEUE CONSUMERS PREFETCH COUNT [ACK_EVERY]");
            System.exit(2);
        }
        int consumers = Integer.parseInt(args[2]);
        int prefetch = Integer.parseInt(args[3]);
        long count = Long.parseLong(args[4]);
        int ackEvery = args.length == 6 ? Integer.parseInt(args[5]) : 1;
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
                    private long unacked;

                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                               byte[] body) throws IOException {
                        firstNanos.compareAndSet(0, System.nanoTime());
                        long total = received.incrementAndGet();
                        // the deliveries of one channel come on one thread, in order
                        if (++unacked >= ackEvery || total == count) {
                            getChannel().basicAck(envelope.getDeliveryTag(), ackEvery > 1);
                            unacked = 0;
                        }
                        if (total == count) {
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
