package io.gamewire.config;

import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to gamewire's properties ({@code config/application*.properties}, environment
 * variables, command-line overrides), with errors that name the property and the value.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public Optional<String> optional(String name) {
        return properties.resolveProperty(name).map(String::trim);
    }

    /** The value, which may be empty but must be defined. */
    public String string(String name) {
        return optional(name).orElseThrow(() -> new StartupException("property " + name
                + " is not set; define it in config/application.properties or as environment variable "
                + EnvironmentNames.of(name)));
    }

    public int integer(String name) {
        String value = string(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new StartupException("property " + name + " must be a whole number, was '" + value + "'", e);
        }
    }

    /** A whole number of 0 or more. */
    public int nonNegative(String name) {
        int value = integer(name);
        if (value < 0) {
            throw new StartupException("property " + name + " must be 0 or more, was " + value);
        }
        return value;
    }

    public int port(String name) {
        int port = integer(name);
        if (port < 0 || port > 65535) {
            throw new StartupException("property " + name + " must be a port from 0 to 65535, was " + port);
        }
        return port;
    }

    public boolean bool(String name) {
        String value = string(name);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new StartupException("property " + name + " must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /**
     * A duration: a whole number with a unit, {@code ms}, {@code s}, {@code m}, {@code h} or
     * {@code d} ({@code 8h}, {@code 30m}, {@code 500ms}; {@link DurationText}).
     */
    public java.time.Duration duration(String name) {
        String value = string(name);
        return DurationText.parse(value, DurationText.ANY_UNIT).map(DurationText::duration)
                .orElseThrow(() -> new StartupException("property " + name + " must be a whole number with a unit"
                        + " (ms, s, m, h, d), such as 8h or 30m, was '" + value + "'"));
    }

    /** One of {@code allowed}, compared ignoring case. */
    public String choice(String name, String... allowed) {
        String value = string(name);
        for (String option : allowed) {
            if (option.equalsIgnoreCase(value)) {
                return option;
            }
        }
        throw new StartupException("property " + name + " must be one of " + String.join(", ", allowed)
                + ", was '" + value + "'");
    }

    /** The limits of frames from clients (TCP, HTTP bodies in GWP), from their properties. */
    public io.gamewire.protocol.GwpLimits clientLimits() {
        return new io.gamewire.protocol.GwpLimits(integer(io.gamewire.protocol.GwpLimits.MAX_FRAME_BYTES_PROPERTY),
                integer(io.gamewire.protocol.GwpLimits.MAX_ATTRIBUTES_PROPERTY),
                integer(io.gamewire.protocol.GwpLimits.MAX_ATTRIBUTE_VALUE_BYTES_PROPERTY));
    }
}
