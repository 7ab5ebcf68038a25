package io.gamewire.bus;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The amqp-client factory under gamewire's one Spring {@code CachingConnectionFactory}, whose named
 * connections go to the broker's address list: the connections gamewire's own clients open from it
 * (publisher lanes, the request/reply client, the bus monitor, the dead-letter admin) call
 * {@link #newConnection(String)}, which the plain factory sends to its one host and port only.
 * Each connection tries the addresses in a new random order, as Spring's connections do with
 * shuffle mode RANDOM, so the connections of several instances spread over the nodes and a
 * reconnect after a node's loss lands on a node that is up. (amqp-client shuffles an address list
 * only with its automatic recovery on; without it, it tries them in order, and every connection
 * would sit on the first node.)
 */
public class FailoverConnectionFactory extends ConnectionFactory {

    private final BrokerAddresses addresses;

    public FailoverConnectionFactory(BrokerAddresses addresses) {
        this.addresses = addresses;
        setHost(addresses.list().get(0).getHost());
        setPort(addresses.list().get(0).getPort());
        // gamewire's clients reopen their connections themselves (Spring's listener containers and
        // connection cache, the publisher lanes and reply queue on their next use, the bus monitor on
        // a timer); amqp-client's automatic recovery, on by default, would race them. Spring turns it
        // off only on the factory it makes itself.
        setAutomaticRecoveryEnabled(false);
    }

    public BrokerAddresses addresses() {
        return addresses;
    }

    @Override
    public Connection newConnection(String name) throws IOException, TimeoutException {
        List<Address> order = new ArrayList<>(addresses.list());
        Collections.shuffle(order);
        return newConnection(order, name);
    }

    @Override
    public Connection newConnection() throws IOException, TimeoutException {
        return newConnection((String) null);
    }
}
