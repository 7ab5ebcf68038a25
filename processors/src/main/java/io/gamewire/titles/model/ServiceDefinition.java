package io.gamewire.titles.model;

import java.util.Map;

/**
 * A service of a title: one queue per environment ({@code title.env.service}), consumed by
 * {@code minConsumers} to {@code maxConsumers} consumers per instance.
 *
 * @param prefetch    unacknowledged messages each consumer is sent ahead
 * @param maxAttempts deliveries of one message before it is dead-lettered
 */
public record ServiceDefinition(String name, int minConsumers, int maxConsumers, int prefetch, int maxAttempts,
                                Map<String, CommandDefinition> commands) {
}
