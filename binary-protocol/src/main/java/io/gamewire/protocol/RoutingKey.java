package io.gamewire.protocol;

import java.util.Objects;

/**
 * A routing key {@code <title>.<env>.<service>.<command>}: four parts, each {@code [a-z0-9_-]{1,32}}.
 *
 * <p>The key is both the AMQP topic routing key and the address that sinks and title files use,
 * so it is validated once, here, and every refusal names the part that was wrong.
 */
public record RoutingKey(String title, String env, String service, String command) {

    /** Characters allowed in one part. */
    public static final int MAX_PART_LENGTH = 32;
    /** Four parts of at most 32 characters and three dots. */
    public static final int MAX_LENGTH = 4 * MAX_PART_LENGTH + 3;

    private static final String[] PART_NAMES = {"title", "env", "service", "command"};

    public RoutingKey {
        checkPart("title", title);
        checkPart("env", env);
        checkPart("service", service);
        checkPart("command", command);
    }

    /**
     * Parses {@code title.env.service.command}.
     *
     * @throws InvalidRoutingKeyException naming the part and the rule it broke
     */
    public static RoutingKey parse(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidRoutingKeyException("routing key is empty; expected title.env.service.command");
        }
        if (key.length() > MAX_LENGTH) {
            throw new InvalidRoutingKeyException("routing key is " + key.length()
                    + " characters long, the limit is " + MAX_LENGTH + " (four parts of at most "
                    + MAX_PART_LENGTH + ")");
        }
        String[] parts = key.split("\\.", -1);
        if (parts.length != PART_NAMES.length) {
            throw new InvalidRoutingKeyException("routing key '" + key + "' has " + parts.length
                    + " part(s); expected 4: title.env.service.command");
        }
        return new RoutingKey(parts[0], parts[1], parts[2], parts[3]);
    }

    /** The queue name and binding prefix of this key's service: {@code title.env.service}. */
    public String serviceKey() {
        return title + '.' + env + '.' + service;
    }

    @Override
    public String toString() {
        return serviceKey() + '.' + command;
    }

    /**
     * Checks one part against {@code [a-z0-9_-]{1,32}}.
     *
     * @throws InvalidRoutingKeyException naming the part, its value and the rule
     */
    public static void checkPart(String partName, String value) {
        Objects.requireNonNull(partName, "partName");
        if (value == null || value.isEmpty()) {
            throw new InvalidRoutingKeyException(partName + " part of the routing key is empty; it needs 1 to "
                    + MAX_PART_LENGTH + " characters of [a-z0-9_-]");
        }
        if (value.length() > MAX_PART_LENGTH) {
            throw new InvalidRoutingKeyException(partName + " part '" + value + "' is " + value.length()
                    + " characters long, the limit is " + MAX_PART_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!allowed) {
                throw new InvalidRoutingKeyException(partName + " part '" + value + "' has character '" + c
                        + "' at position " + (i + 1) + "; only [a-z0-9_-] is allowed");
            }
        }
    }
}
