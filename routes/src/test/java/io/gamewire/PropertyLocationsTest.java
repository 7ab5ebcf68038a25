package io.gamewire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.gamewire.config.Settings;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile file wins over config/application.properties, which wins over the built-in defaults;
 * the commands that talk to a running gamewire read the configuration the same way.
 */
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

    @Test
    void theCommandsReadTheSameConfigurationWithoutStartingIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("application.properties"), "gamewire.http.port = 9001\n");
        Files.writeString(dir.resolve("application-prod.properties"), "gamewire.http.port = 9002\n"
                + "gamewire.admin.token = from-the-profile\n");

        Settings settings = GamewireApplication.settings(dir, "prod", Map.of("gamewire.http.port", "9003"));

        assertThat(settings.port("gamewire.http.port")).as("--set wins").isEqualTo(9003);
        assertThat(settings.string("gamewire.admin.token")).isEqualTo("from-the-profile");
        assertThat(settings.string("gamewire.http.host")).as("a built-in default").isEqualTo("127.0.0.1");
        assertThat(settings.string("gamewire.titles.dir")).as("placeholders resolved")
                .isEqualTo(dir.toAbsolutePath().normalize() + "/titles");
    }
}
