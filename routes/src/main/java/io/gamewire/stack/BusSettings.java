package io.gamewire.stack;

import io.gamewire.config.Settings;
import io.gamewire.protocol.GwpLimits;

/**
 * The settings of the broker and the bus ({@code gamewire.broker.*}, {@code gamewire.bus.*},
 * {@code gamewire.requests.*}), read once at start.
 */
record BusSettings(
        boolean embedded,
        int embeddedPort,
        String embeddedStore,
        int embeddedMinFreeDiskMb,
        String host,
        int port,
        String username,
        String password,
        String virtualHost,
        int timeoutMs,
        String exchange,
        String deadLetterExchange,
        String queueArguments,
        int publisherConnections,
        int confirmTimeoutMs,
        int maxPendingRequests,
        GwpLimits clientLimits) {

    static BusSettings from(Settings settings) {
        return new BusSettings(
                settings.bool("gamewire.broker.embedded"),
                settings.bool("gamewire.broker.embedded") ? settings.port("gamewire.broker.embedded.port") : 0,
                settings.optional(EmbeddedStore.PROPERTY).orElse("auto"),
                settings.bool("gamewire.broker.embedded") ? settings.nonNegative(EmbeddedBroker.MIN_FREE_DISK_PROPERTY) : 0,
                settings.string("gamewire.broker.host"),
                settings.port("gamewire.broker.port"),
                settings.string("gamewire.broker.username"),
                settings.string("gamewire.broker.password"),
                settings.string("gamewire.broker.virtual-host"),
                settings.integer("gamewire.broker.timeout-ms"),
                settings.string("gamewire.bus.exchange"),
                settings.string("gamewire.bus.dead-letter-exchange"),
                settings.string("gamewire.bus.queue-arguments"),
                settings.integer("gamewire.bus.publisher-connections"),
                settings.integer("gamewire.bus.confirm-timeout-ms"),
                settings.integer("gamewire.requests.max-pending"),
                settings.clientLimits());
    }

    /** host:port, for messages that name the broker. */
    String address() {
        return host + ":" + port;
    }
}
