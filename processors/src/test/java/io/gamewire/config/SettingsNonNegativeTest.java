package io.gamewire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A setting that takes 0 or more says which setting a negative value was given to. */
class SettingsNonNegativeTest {

    @Test
    void zeroIsTakenANegativeNumberIsRefusedNamingTheSetting() {
        Properties values = new Properties();
        values.setProperty("gamewire.broker.embedded.min-free-disk-mb", "0");
        values.setProperty("gamewire.other", "-5");
        org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(values);
        Settings settings = new Settings(camel.getPropertiesComponent());

        assertThat(settings.nonNegative("gamewire.broker.embedded.min-free-disk-mb")).isZero();
        assertThatThrownBy(() -> settings.nonNegative("gamewire.other")).isInstanceOf(StartupException.class)
                .hasMessage("property gamewire.other must be 0 or more, was -5");
    }
}
