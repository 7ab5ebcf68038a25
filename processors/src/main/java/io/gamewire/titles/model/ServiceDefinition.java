package io.gamewire.titles.model;

import java.util.Map;

/**
 * A service of a title: one queue per environment ({@code title.env.service}), consumed by
 * {@code minConsumers} to {@code maxConsumers} consumers per instance.
 *
 * @param consumerTemplate the route template its consumer routes are made from:
 *                         {@value #DEFAULT_CONSUMER_TEMPLATE}, or a user's ({@code consumers.template})
 * @param prefetch    unacknowledged messages each consumer is sent ahead
 * @param maxAttempts deliveries of one message before it is dead-lettered
 */
public record ServiceDefinition(String name, int minConsumers, int maxConsumers, String consumerTemplate,
                                int prefetch, int maxAttempts, Map<String, CommandDefinition> commands) {

    /** gamewire's own consumer: the route template {@code service-consumer}. */
    public static final String DEFAULT_CONSUMER_TEMPLATE = "service-consumer";

    /** gamewire's route templates that do not consume a queue: a service may not name them. */
    public static final java.util.Set<String> NOT_CONSUMER_TEMPLATES = java.util.Set.of("pull");
}
