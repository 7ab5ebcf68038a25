package io.gamewire.monitor;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker for the bus monitor's unit tests: its connections' channels declare a queue named
 * {@code q1}, {@code q2}, … (one per connection), record every bind and unbind as
 * {@code "bind exchange pattern"} with the thread that asked, and keep the consumer's callback so
 * that a test can {@link #deliver} messages as the broker would.
 */
public final class FakeBroker {

    /** Every bind and unbind asked for, in order; public for the tests of the monitor's users. */
    public final List<String> bindings = new CopyOnWriteArrayList<>();
    final List<String> bindingThreads = new CopyOnWriteArrayList<>();
    private volatile DeliverCallback consumer;
    private int connections;

    public final ConnectionFactory factory = new ConnectionFactory() {
        @Override
        public Connection newConnection(String name) {
            String queue = "q" + (++connections);
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "createChannel" -> channel(queue);
                        case "isOpen" -> true;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "fake connection " + queue;
                        default -> null;
                    });
        }
    };

    private Channel channel(String queue) {
        return (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "queueDeclare" -> new AMQP.Queue.DeclareOk.Builder().queue(queue).build();
                    case "queueBind", "queueUnbind" -> {
                        bindings.add((method.getName().equals("queueBind") ? "bind " : "unbind ") + args[1] + " " + args[2]);
                        bindingThreads.add(Thread.currentThread().getName());
                        yield null;
                    }
                    case "basicConsume" -> {
                        consumer = (DeliverCallback) args[2];
                        yield "consumer-tag";
                    }
                    case "isOpen" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    /** The broker delivers a message to the monitor's consumer. */
    void deliver(String exchange, String routingKey) throws IOException {
        consumer.handle("consumer-tag", new Delivery(new Envelope(1, false, exchange, routingKey),
                new AMQP.BasicProperties.Builder().build(), new byte[] {1, 2, 3}));
    }
}
