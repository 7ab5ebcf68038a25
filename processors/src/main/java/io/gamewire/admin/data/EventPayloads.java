package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.protocol.RoutingKey;

/**
 * The one place where a payload is made fit to be shown by the admin data endpoints (event views,
 * comparisons, cache entries that hold a payload): fields a title's schema marks {@code redact: true}
 * become {@code "***"}.
 */
public final class EventPayloads {

    private EventPayloads() {
    }

    /**
     * The payload of an event of {@code routingKey} as the admin API may show it.
     * TODO(issue 15, engineer B): call the redaction class of the tail here once it lands; until
     * then payloads are shown as stored.
     */
    public static JsonNode shown(RoutingKey routingKey, JsonNode payload) {
        return payload;
    }
}
