package io.gamewire.stack;

import io.gamewire.camel.NamedThreads;
import io.gamewire.bus.AmqpConnections;
import io.gamewire.bus.BusMessages;
import io.gamewire.bus.ConfirmingPublisher;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.bus.FailoverConnectionFactory;
import io.gamewire.bus.RequestReplyClient;
import io.gamewire.config.StartupException;
import io.gamewire.ops.health.BackendHealthCheck;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.camel.GwpDataFormat;
import io.gamewire.routing.BusTopology;
import java.io.IOException;
import org.apache.camel.CamelContext;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;

/**
 * The bus: waits for the embedded broker when {@code gamewire.broker.embedded} (started by
 * {@link EmbeddedBrokerConfiguration}),
 * the AMQP connection the consumers listen on ({@code connectionFactory}, also the spring-rabbitmq
 * component's), the exchanges ({@code busTopology}, declared now so an unreachable broker fails the
 * start with a clear message), the confirmed publisher of events and requests
 * ({@code envelopePublisher}) and the requester ({@code requestReplyClient}), each on a connection
 * of its own, and the {@code gwp} data format. Health check: {@code broker}.
 */
public class BusConfiguration extends AreaConfiguration {

    /** Room for the envelope fields around an HTTP body: ids, key, content type, attributes. */
    static final int ENVELOPE_OVERHEAD_BYTES = 32 * 1024;

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        BusSettings bus = settings.bus();
        Registry registry = camel.getRegistry();
        registry.bind("gwp", gwpDataFormat(settings.ingest().httpMaxBodyBytes(), bus));

        if (bus.embedded()) {
            // started by EmbeddedBrokerConfiguration, on its own thread while the database was migrated
            bean(camel, EmbeddedBrokerConfiguration.BEAN, EmbeddedBroker.class).awaitStarted();
        }

        CachingConnectionFactory connectionFactory = connectionFactory(bus);
        closeOnStop(camel, "AMQP connection", connectionFactory::destroy);
        registry.bind("connectionFactory", connectionFactory);
        camel.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setConnectionFactory(connectionFactory);
        registry.bind("busTopology", topology(bus, connectionFactory));
        publishers(camel, bus, connectionFactory);
        HealthCheckRegistry.get(camel).register(new BackendHealthCheck("broker", () -> probe(connectionFactory)));
    }

    /**
     * The {@code gwp} data format with the limits from properties. An HTTP body becomes an envelope
     * payload, so the frame limit must leave room for the largest body plus the envelope's fields.
     */
    private static GwpDataFormat gwpDataFormat(int body, BusSettings bus) {
        // envelopes on the bus may carry what gamewire adds to a client's envelope
        GwpLimits limits = BusMessages.busLimits(bus.clientLimits());
        GwpDataFormat gwp = new GwpDataFormat();
        gwp.setMaxFrameBytes(limits.maxFrameBytes());
        gwp.setMaxAttributes(limits.maxAttributes());
        gwp.setMaxAttributeValueBytes(limits.maxAttributeValueBytes());
        int clientFrame = bus.clientLimits().maxFrameBytes();
        if (body > clientFrame - ENVELOPE_OVERHEAD_BYTES) {
            throw new StartupException("gamewire.http.max-body-bytes (" + body + ") must be at most "
                    + GwpLimits.MAX_FRAME_BYTES_PROPERTY + " (" + clientFrame + ") minus "
                    + ENVELOPE_OVERHEAD_BYTES + " bytes of envelope fields");
        }
        return gwp;
    }

    private static CachingConnectionFactory connectionFactory(BusSettings bus) {
        // one amqp-client factory for every AMQP connection of gamewire: Spring's (consumers, topology,
        // user routes) connect through setAddresses, gamewire's own clients through its newConnection(name)
        CachingConnectionFactory factory = new CachingConnectionFactory(new FailoverConnectionFactory(bus.addresses()));
        factory.setAddresses(bus.addresses().describe());
        // RANDOM, as amqp-client's own list: instances spread their connections over the nodes
        factory.setAddressShuffleMode(CachingConnectionFactory.AddressShuffleMode.RANDOM);
        factory.setUsername(bus.username());
        factory.setPassword(bus.password());
        factory.setVirtualHost(bus.virtualHost());
        factory.setConnectionTimeout(bus.timeoutMs());
        // for publishes through this factory (user routes, RabbitTemplate): a producer waits for
        // exactly its own confirm; gamewire's events go through ConfirmingPublisher's own lanes
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        factory.setConnectionNameStrategy(f -> "gamewire");
        if (bus.tls() != null) {
            // on the client's own factory: the publisher lanes, the request/reply client, the bus
            // monitor and the dead-letter admin open their connections from it too
            bus.tls().applyTo(factory.getRabbitConnectionFactory());
        }
        return factory;
    }

    private static BusTopology topology(BusSettings bus, CachingConnectionFactory connectionFactory) {
        BusTopology topology = new BusTopology(connectionFactory, bus.exchange(), bus.deadLetterExchange(),
                BusTopology.parseArguments(bus.queueArguments()));
        try {
            topology.declareExchanges();
        } catch (AmqpException e) {
            throw brokerFailure("cannot declare exchanges", bus, e);
        }
        return topology;
    }

    /** {@code envelopePublisher} and {@code requestReplyClient}, each on a connection of its own. */
    private static void publishers(CamelContext camel, BusSettings bus, CachingConnectionFactory connectionFactory)
            throws Exception {
        com.rabbitmq.client.ConnectionFactory amqp = connectionFactory.getRabbitConnectionFactory();
        ConfirmingPublisher publisher = new ConfirmingPublisher(amqp, "gamewire-publisher",
                bus.publisherConnections(), bus.confirmTimeoutMs(), NamedThreads.of(camel));
        EnvelopeCodec busCodec = new EnvelopeCodec(BusMessages.busLimits(bus.clientLimits()));
        EnvelopePublisher envelopes = new EnvelopePublisher(publisher, bus.exchange(), busCodec);
        RequestReplyClient requests = new RequestReplyClient(amqp, envelopes, busCodec, bus.maxPendingRequests(),
                NamedThreads.of(camel));
        try {
            publisher.connect();
            requests.start();
        } catch (IOException | RuntimeException e) {
            throw brokerFailure("cannot open the publisher connection or the reply queue", bus, e);
        }
        closeOnStop(camel, "AMQP publisher", publisher::close);
        closeOnStop(camel, "AMQP request/reply client", requests::close);
        camel.getRegistry().bind("envelopePublisher", envelopes);
        camel.getRegistry().bind("requestReplyClient", requests);
    }

    /** A start refused because the broker cannot be used: what failed, or, when TLS failed, why and what to check. */
    private static StartupException brokerFailure(String what, BusSettings bus, Exception e) {
        return new StartupException(java.util.Optional.ofNullable(bus.tls())
                .flatMap(tls -> tls.explain(e, bus.address()))
                .orElseGet(() -> what + " on the AMQP broker at " + bus.address()
                        + " (" + bus.addresses().setting() + "): " + rootMessage(e)), e);
    }

    private static void probe(CachingConnectionFactory connectionFactory) {
        Connection connection = connectionFactory.createConnection();
        if (!connection.isOpen()) {
            throw new IllegalStateException("AMQP connection to "
                    + AmqpConnections.describe(connectionFactory.getRabbitConnectionFactory()) + " is closed");
        }
    }
}
