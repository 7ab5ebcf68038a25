package io.gamewire.stack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The broker's settings refuse TLS with the embedded broker, which has none. */
class BusSettingsTest {

    @Test
    void tlsWithTheEmbeddedBrokerStopsTheStartSayingWhatToSet() {
        Properties properties = new Properties();
        properties.setProperty("gamewire.broker.embedded", "true");
        properties.setProperty("gamewire.broker.tls", "true");
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(properties);

        assertThatThrownBy(() -> BusSettings.from(new Settings(camel.getPropertiesComponent())))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("gamewire.broker.tls=true is for an external broker")
                .hasMessageContaining("Set gamewire.broker.embedded=false (the prod profile does) or gamewire.broker.tls=false");
    }
}
