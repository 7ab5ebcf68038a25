package io.gamewire.bus;

import com.rabbitmq.client.Address;
import io.gamewire.config.StartupException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the AMQP broker is: the nodes of {@code gamewire.broker.addresses} (a RabbitMQ cluster), or
 * the one {@code gamewire.broker.host}:{@code gamewire.broker.port} when that setting is empty.
 *
 * @param list    the addresses, each with its port
 * @param setting the setting(s) they come from, for messages
 */
public record BrokerAddresses(List<Address> list, String setting) {

    public static final String PROPERTY = "gamewire.broker.addresses";

    public BrokerAddresses {
        list = List.copyOf(list);
    }

    /** The one node {@code host}:{@code port}. */
    public static BrokerAddresses single(String host, int port) {
        return new BrokerAddresses(List.of(new Address(host, port)), "gamewire.broker.host, gamewire.broker.port");
    }

    /**
     * {@code host:port,host:port,...} ({@code [v6]:port} for an IPv6 address); an entry without a
     * port uses {@code defaultPort}. A start with an entry that is not a host and port stops, naming it.
     */
    public static BrokerAddresses parse(String value, int defaultPort) {
        String[] entries = value.split(",", -1);
        List<Address> addresses = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            addresses.add(entry(entries[i].trim(), i + 1, defaultPort));
        }
        return new BrokerAddresses(addresses, PROPERTY);
    }

    private static Address entry(String entry, int number, int defaultPort) {
        Address address;
        try {
            address = Address.parseAddress(entry);
        } catch (RuntimeException e) { // a port that is not a number
            throw invalid(entry, number, "the port is not a number");
        }
        if (entry.isEmpty() || address.getHost().isEmpty()) {
            throw invalid(entry, number, "no host");
        }
        if (address.getHost().chars().anyMatch(Character::isWhitespace)) {
            throw invalid(entry, number, "a space in the host");
        }
        int port = address.getPort() == -1 && !entry.endsWith(":-1") ? defaultPort : address.getPort();
        if (port < 1 || port > 65535) {
            throw invalid(entry, number, "the port must be 1-65535");
        }
        return new Address(address.getHost(), port);
    }

    private static StartupException invalid(String entry, int number, String why) {
        return new StartupException(PROPERTY + ": entry " + number + " ('" + entry + "') is not host:port (" + why
                + "); expected e.g. 10.0.0.1:5672,10.0.0.2:5672");
    }

    /** host:port,host:port as the factories take them, and for messages. */
    public String describe() {
        // an IPv6 host keeps its brackets (amqp-client's parser leaves them, and the JDK resolves them);
        // one from gamewire.broker.host gets them, or amqp-client refuses it as an unquoted IPv6 address
        return list.stream().map(a -> bracketed(a.getHost()) + ":" + a.getPort()).collect(Collectors.joining(","));
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
