package io.gamewire.config;

import java.util.Locale;

/** The environment variable that overrides a property: upper case, dots and dashes as underscores. */
public final class EnvironmentNames {

    private EnvironmentNames() {
    }

    public static String of(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
