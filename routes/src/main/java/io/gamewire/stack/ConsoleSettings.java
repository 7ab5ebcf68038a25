package io.gamewire.stack;

import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;

/**
 * The admin data endpoints' settings ({@code gamewire.console.*}), read once at start by
 * {@link AdminConfiguration}; a malformed value fails the start naming its key.
 *
 * @param stagingEnvironment where {@code send} puts a 3-part routing key and {@code replay} goes by default
 * @param sqlMaxRows         the most rows one {@code POST /v1/admin/sql} answers
 * @param sqlTimeoutSeconds  how long the database may run it
 */
record ConsoleSettings(String stagingEnvironment, int sqlMaxRows, int sqlTimeoutSeconds) {

    static ConsoleSettings from(Settings settings) {
        int maxRows = settings.integer("gamewire.console.sql-max-rows");
        if (maxRows < 1) {
            throw new StartupException("gamewire.console.sql-max-rows must be at least 1, is " + maxRows);
        }
        String timeout = settings.string("gamewire.console.sql-timeout").strip();
        if (!timeout.matches("[1-9][0-9]{0,5}s")) {
            throw new StartupException("gamewire.console.sql-timeout must be whole seconds such as 10s, is '"
                    + timeout + "'");
        }
        return new ConsoleSettings(settings.string("gamewire.console.staging-environment").strip(), maxRows,
                Integer.parseInt(timeout.substring(0, timeout.length() - 1)));
    }
}
