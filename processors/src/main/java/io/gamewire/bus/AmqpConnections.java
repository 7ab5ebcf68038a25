package io.gamewire.bus;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Opening the bus clients' own AMQP connections, each named for the broker's management tools. */
public final class AmqpConnections {

    private AmqpConnections() {
    }

    /** A new connection; a connect timeout is an {@link IOException} naming the broker. */
    public static Connection open(ConnectionFactory factory, String name) throws IOException {
        try {
            return factory.newConnection(name);
        } catch (TimeoutException e) {
            throw new IOException("timed out connecting to the AMQP broker at " + describe(factory), e);
        }
    }

    /** The broker's address list, or host:port for a plain factory. */
    public static String describe(ConnectionFactory factory) {
        return factory instanceof FailoverConnectionFactory failover ? failover.addresses().describe()
                : factory.getHost() + ":" + factory.getPort();
    }
}
