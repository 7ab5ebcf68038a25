package io.gamewire.stack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.StartupException;
import io.gamewire.testsupport.TestSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker's settings refuse TLS with the embedded broker, which has none. */
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
}
