package io.gamewire.testsupport;

import io.gamewire.config.Settings;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;

/** {@link Settings} over given values alone, as Camel's properties component resolves them. */
public final class TestSettings {

    private TestSettings() {
    }

    public static Settings of(Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(properties);
        return new Settings(camel.getPropertiesComponent());
    }
}
