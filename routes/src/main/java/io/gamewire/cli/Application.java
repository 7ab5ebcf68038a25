package io.gamewire.cli;

import io.gamewire.config.Settings;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the commands need of the application, without the command line depending on it: running
 * gamewire, and reading its configuration as it would ({@code GamewireMain} gives the real one;
 * tests a fake).
 */
public interface Application {

    /** Runs gamewire until it is asked to stop; the exit status. */
    int run(Path configDir, String profile, Map<String, String> overrides) throws Exception;

    /** The configuration {@link #run} would see, read without starting anything. */
    Settings settings(Path configDir, String profile, Map<String, String> overrides);
}
