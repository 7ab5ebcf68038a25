package io.gamewire.stack;

import io.gamewire.bus.BrokerAddresses;
import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.tls.BrokerTls;

/**
 * The settings of the broker and the bus ({@code gamewire.broker.*}, {@code gamewire.bus.*},
 * {@code gamewire.requests.*}), read once at start.
 *
 * @param addresses the broker's nodes: {@code gamewire.broker.addresses}, else host and port
 * @param tls TLS to the external broker ({@code gamewire.broker.tls*}), null for plaintext
 */
record BusSettings(
        boolean embedded,
        int embeddedPort,
        String embeddedStore,
        int embeddedMinFreeDiskMb,
        String host,
        int port,
        BrokerAddresses addresses,
        String username,
        String password,
        String virtualHost,
        int timeoutMs,
        BrokerTls tls,
        String exchange,
        String deadLetterExchange,
        String queueArguments,
        int publisherConnections,
        int confirmTimeoutMs,
        int maxPendingRequests,
        GwpLimits clientLimits) {

    static BusSettings from(Settings settings) {
        requireExternalBrokerForTls(settings);
        requireExternalBrokerForAddresses(settings);
        return new BusSettings(
                settings.bool("gamewire.broker.embedded"),
                settings.bool("gamewire.broker.embedded") ? settings.port("gamewire.broker.embedded.port") : 0,
                settings.optional(EmbeddedStore.PROPERTY).orElse("auto"),
                settings.bool("gamewire.broker.embedded") ? settings.nonNegative(EmbeddedBroker.MIN_FREE_DISK_PROPERTY) : 0,
                settings.string("gamewire.broker.host"),
                settings.port("gamewire.broker.port"),
                addresses(settings),
                settings.string("gamewire.broker.username"),
                settings.string("gamewire.broker.password"),
                settings.string("gamewire.broker.virtual-host"),
                settings.integer("gamewire.broker.timeout-ms"),
                BrokerTls.from(settings),
                settings.string("gamewire.bus.exchange"),
                settings.string("gamewire.bus.dead-letter-exchange"),
                settings.string("gamewire.bus.queue-arguments"),
                settings.integer("gamewire.bus.publisher-connections"),
                settings.integer("gamewire.bus.confirm-timeout-ms"),
                settings.integer("gamewire.requests.max-pending"),
                settings.clientLimits());
    }

    /**
     * TLS is for an external broker: the embedded one listens on 127.0.0.1 only, in plaintext. A
     * start that asks for both stops rather than going on in plaintext, which the operator who set
     * {@code gamewire.broker.tls} would not notice (the prod profile's {@code embedded=false} left
     * out, say).
     */
    private static void requireExternalBrokerForTls(Settings settings) {
        if (settings.bool(BrokerTls.PROPERTY) && settings.bool("gamewire.broker.embedded")) {
            throw new StartupException(BrokerTls.PROPERTY + "=true is for an external broker, and"
                    + " gamewire.broker.embedded is true: the embedded broker listens on 127.0.0.1 only, without TLS."
                    + " Set gamewire.broker.embedded=false (the prod profile does) or " + BrokerTls.PROPERTY + "=false");
        }
    }

    /**
     * The broker's nodes: {@code gamewire.broker.addresses} when set (an entry without a port gets
     * {@code gamewire.broker.port}), else {@code gamewire.broker.host}:{@code gamewire.broker.port}.
     */
    static BrokerAddresses addresses(Settings settings) {
        String list = settings.optional(BrokerAddresses.PROPERTY).map(String::trim).orElse("");
        return list.isEmpty()
                ? BrokerAddresses.single(settings.string("gamewire.broker.host"), settings.port("gamewire.broker.port"))
                : BrokerAddresses.parse(list, settings.port("gamewire.broker.port"));
    }

    /** A list of nodes is an external cluster's; the embedded broker is one node on its own port. */
    private static void requireExternalBrokerForAddresses(Settings settings) {
        boolean listed = settings.optional(BrokerAddresses.PROPERTY).filter(s -> !s.isBlank()).isPresent();
        if (listed && settings.bool("gamewire.broker.embedded")) {
            throw new StartupException(BrokerAddresses.PROPERTY + " is for an external broker, and"
                    + " gamewire.broker.embedded is true. Set gamewire.broker.embedded=false (the prod profile does)"
                    + " or leave " + BrokerAddresses.PROPERTY + " empty");
        }
    }

    /** host:port,..., for messages that name the broker. */
    String address() {
        return addresses.describe();
    }
}
