package io.gamewire.bench.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Confirmed persistent publishes to one durable queue of an AMQP 0-9-1 broker, as fast as the
 * broker confirms them: {@code --publishers} connections, each a channel in confirm mode with at
 * most {@code --window} unconfirmed messages of {@code --size} bytes, to the default exchange.
 * Counts confirms over {@code --duration} seconds after {@code --warmup} seconds, then deletes the
 * queue, and prints {@code RESULT confirmed=N nacked=N seconds=S msg_per_s=R}; with
 * {@code --cpu-pid} (the broker's process) also {@code broker_cpu_s=C broker_us_per_msg=U}, the CPU
 * that process used over the counted window, from {@code /proc/PID/stat}.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.gamewire.bench.broker.ConfirmedPublishLoad
 *     --uri amqp://guest:guest@127.0.0.1:15673 [--queue store-bench] [--publishers 4] [--window 256]
 *     [--size 256] [--warmup 5] [--duration 20] [--cpu-pid PID]</pre>
 */
public final class ConfirmedPublishLoad {

    private ConfirmedPublishLoad() {
    }

    public static void main(String[] args) throws Exception {
        String uri = option(args, "--uri", null);
        if (uri == null) {
            System.err.println("usage: ConfirmedPublishLoad --uri amqp://user:password@host:port [--queue Q]"
                    + " [--publishers 4] [--window 256] [--size 256] [--warmup 5] [--duration 20]");
            System.exit(2);
        }
        String queue = option(args, "--queue", "store-bench");
        int publishers = Integer.parseInt(option(args, "--publishers", "4"));
        int window = Integer.parseInt(option(args, "--window", "256"));
        byte[] body = new byte[Integer.parseInt(option(args, "--size", "256"))];
        int warmup = Integer.parseInt(option(args, "--warmup", "5"));
        int duration = Integer.parseInt(option(args, "--duration", "20"));
        String cpuPid = option(args, "--cpu-pid", null);

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        AtomicLong confirmed = new AtomicLong();
        AtomicLong nacked = new AtomicLong();
        List<Connection> connections = new ArrayList<>();
        List<Publisher> running = new ArrayList<>();
        try (Connection admin = factory.newConnection("store-bench-admin"); Channel declare = admin.createChannel()) {
            declare.queueDeclare(queue, true, false, false, null);
            declare.queuePurge(queue);
            for (int i = 0; i < publishers; i++) {
                Connection connection = factory.newConnection("store-bench-" + i);
                connections.add(connection);
                Publisher publisher = new Publisher(connection.createChannel(), queue, body, window, confirmed, nacked);
                running.add(publisher);
                publisher.start();
            }
            TimeUnit.SECONDS.sleep(warmup);
            long confirmedBefore = confirmed.get();
            long nackedBefore = nacked.get();
            double cpuBefore = cpuSeconds(cpuPid);
            long started = System.nanoTime();
            TimeUnit.SECONDS.sleep(duration);
            long count = confirmed.get() - confirmedBefore;
            long failed = nacked.get() - nackedBefore;
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpu = cpuSeconds(cpuPid) - cpuBefore;
            running.forEach(Publisher::stopPublishing);
            for (Publisher publisher : running) {
                publisher.join(30_000);
            }
            for (Connection connection : connections) {
                connection.close();
            }
            declare.queueDelete(queue);
            System.out.printf("RESULT confirmed=%d nacked=%d seconds=%.1f msg_per_s=%.0f", count, failed, seconds,
                    count / seconds);
            if (cpuPid != null) {
                System.out.printf(" broker_cpu_s=%.2f broker_us_per_msg=%.0f", cpu, count == 0 ? 0 : cpu * 1e6 / count);
            }
            System.out.println();
        }
    }

    /** One channel publishing while it has room in its window; confirms free room. */
    private static final class Publisher extends Thread {
        private final Channel channel;
        private final String queue;
        private final byte[] body;
        private final Semaphore room;
        private final NavigableSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
        private volatile boolean stopped;

        Publisher(Channel channel, String queue, byte[] body, int window, AtomicLong confirmed, AtomicLong nacked)
                throws java.io.IOException {
            super("publisher-" + channel.getConnection().getClientProvidedName());
            this.channel = channel;
            this.queue = queue;
            this.body = body;
            this.room = new Semaphore(window);
            channel.confirmSelect();
            channel.addConfirmListener((tag, multiple) -> confirmed.addAndGet(settle(tag, multiple)),
                    (tag, multiple) -> nacked.addAndGet(settle(tag, multiple)));
        }

        private int settle(long tag, boolean multiple) {
            int settled = 0;
            if (multiple) {
                NavigableSet<Long> upTo = unconfirmed.headSet(tag, true);
                while (upTo.pollFirst() != null) {
                    settled++;
                }
            } else if (unconfirmed.remove(tag)) {
                settled = 1;
            }
            room.release(settled);
            return settled;
        }

        @Override
        public void run() {
            AMQP.BasicProperties persistent = MessageProperties.PERSISTENT_BASIC;
            try {
                while (!stopped) {
                    if (!room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    unconfirmed.add(channel.getNextPublishSeqNo());
                    channel.basicPublish("", queue, persistent, body);
                }
                channel.waitForConfirms(30_000);
            } catch (Exception e) {
                if (!stopped) {
                    System.err.println(getName() + ": " + e);
                }
            }
        }

        void stopPublishing() {
            stopped = true;
        }
    }

    /** User plus system CPU seconds of process {@code pid} so far (0 without one), from /proc. */
    private static double cpuSeconds(String pid) throws java.io.IOException {
        if (pid == null) {
            return 0;
        }
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
        // the fields after the command name, which may hold spaces: utime and stime are the 12th and 13th
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** USER_HZ, 100 on Linux on every architecture Java runs on here ({@code getconf CLK_TCK}). */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
