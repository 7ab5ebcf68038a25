package io.gamewire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile file wins over config/application.properties, which wins over the built-in defaults. */
class PropertyLocationsTest {

    @Test
    void theMostSpecificFileWins(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("application.properties"), "gamewire.http.port = 9001\ngamewire.db.pool-size = 3\n");
        Files.writeString(dir.resolve("application-prod.properties"), "gamewire.http.port = 9002\n");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setLocation(String.join(",", GamewireApplication.propertyLocations(dir, "prod")));
            camel.start();

            assertThat(camel.getPropertiesComponent().resolveProperty("gamewire.http.port")).hasValue("9002");
            assertThat(camel.getPropertiesComponent().resolveProperty("gamewire.db.pool-size")).hasValue("3");
            assertThat(camel.getPropertiesComponent().resolveProperty("gamewire.broker.embedded.port")).hasValue("5673");
        }
    }
}
