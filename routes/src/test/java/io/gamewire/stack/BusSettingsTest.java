package io.gamewire.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.bus.BrokerAddresses;
import io.gamewire.config.StartupException;
import io.gamewire.testsupport.TestSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker's settings: TLS and an address list are for an external broker; the list replaces host and port. */
class BusSettingsTest {

    @Test
    void tlsWithTheEmbeddedBrokerStopsTheStartSayingWhatToSet() {
        assertThatThrownBy(() -> BusSettings.from(TestSettings.of(Map.of("gamewire.broker.embedded", "true",
                "gamewire.broker.tls", "true"))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("gamewire.broker.tls=true is for an external broker")
                .hasMessageContaining("Set gamewire.broker.embedded=false (the prod profile does) or"
                        + " gamewire.broker.tls=false");
    }

    @Test
    void anAddressListWithTheEmbeddedBrokerStopsTheStart() {
        assertThatThrownBy(() -> BusSettings.from(TestSettings.of(Map.of("gamewire.broker.embedded", "true",
                "gamewire.broker.tls", "false", "gamewire.broker.addresses", "127.0.0.1:5701,127.0.0.1:5702"))))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("gamewire.broker.addresses is for an external broker");
    }

    @Test
    void theAddressListReplacesHostAndPortAndEntriesWithoutAPortTakeThePort() {
        BrokerAddresses addresses = BusSettings.addresses(TestSettings.of(Map.of(
                "gamewire.broker.host", "elsewhere", "gamewire.broker.port", "5671",
                "gamewire.broker.addresses", "127.0.0.1:5701, rabbit-2")));

        assertThat(addresses.describe()).isEqualTo("127.0.0.1:5701,rabbit-2:5671");
        assertThat(addresses.setting()).isEqualTo("gamewire.broker.addresses");
    }

    @Test
    void withoutAnAddressListTheBrokerIsHostAndPort() {
        BrokerAddresses addresses = BusSettings.addresses(TestSettings.of(Map.of(
                "gamewire.broker.host", "rabbit", "gamewire.broker.port", "5672", "gamewire.broker.addresses", " ")));

        assertThat(addresses.describe()).isEqualTo("rabbit:5672");
        assertThat(addresses.setting()).isEqualTo("gamewire.broker.host, gamewire.broker.port");
    }
}
