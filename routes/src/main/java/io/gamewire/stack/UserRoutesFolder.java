package io.gamewire.stack;

import io.gamewire.config.StartupException;
import io.gamewire.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel watches the user routes folder ({@code gamewire.dsl-yaml.dir}) for changes, and refuses to
 * start when it does not exist: an empty one is made first, so gamewire runs from any working
 * directory. Runs before Camel configures its route reloading.
 */
public final class UserRoutesFolder extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(UserRoutesFolder.class);

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        Settings settings = new Settings(main.getCamelContext().getPropertiesComponent());
        Path folder = Path.of(settings.string("gamewire.dsl-yaml.dir"));
        if (Files.isDirectory(folder)) {
            return;
        }
        try {
            Files.createDirectories(folder);
            LOG.info("Created the empty user routes folder {} (gamewire.dsl-yaml.dir)", folder.toAbsolutePath());
        } catch (IOException e) {
            throw new StartupException("cannot create the user routes folder " + folder.toAbsolutePath()
                    + " (gamewire.dsl-yaml.dir): " + e.getMessage(), e);
        }
    }
}
