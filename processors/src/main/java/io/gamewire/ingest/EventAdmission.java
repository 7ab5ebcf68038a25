package io.gamewire.ingest;

import io.gamewire.protocol.ContentTypes;
import io.gamewire.protocol.InvalidRoutingKeyException;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.titles.model.CommandDefinition;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The checks every translator makes before it publishes an event or a request, in this order:
 * routing key syntax, the API key (its title, environments and access), the key's rate limit
 * (events only), the command (title, environment, service and command must exist), the payload
 * (JSON when the command has a schema or sinks, then the schema). The first failed check refuses
 * with a {@link RefusedException} naming what was wrong; nothing has been published then.
 *
 * <p>HTTP and TCP share this, so the same event is accepted or refused the same way on both.
 */
public final class EventAdmission {

    private final TitleRegistry titles;
    private final KeyRateLimits rateLimits;
    private final JsonPayloads json;

    public EventAdmission(TitleRegistry titles, KeyRateLimits rateLimits, JsonPayloads json) {
        this.titles = titles;
        this.rateLimits = rateLimits;
        this.json = json;
    }

    /** What passed: the key, its command and the key's decision. */
    public record Admitted(RoutingKey routingKey, CommandDefinition command, ApiKeyRing.Decision decision) {
    }

    /** Checks the routing key's syntax alone. */
    public static RoutingKey routingKey(String text) {
        try {
            return RoutingKey.parse(text);
        } catch (InvalidRoutingKeyException e) {
            throw new RefusedException(Refusal.INVALID_ROUTING_KEY, e.getMessage());
        }
    }

    /**
     * Checks one event ({@link Access#PUBLISH}) or request ({@link Access#QUERY}).
     *
     * @param keySha256   SHA-256 of the presented API key ({@link ApiKeyRing#sha256}); null when none
     * @param routingKey  as the client sent it
     * @param contentType media type of the payload
     * @throws RefusedException on the first check that fails
     */
    public Admitted admit(String keySha256, String routingKey, Access access, String contentType, ByteBuffer payload) {
        RoutingKey key = routingKey(routingKey);
        if (!titles.loaded()) {
            throw new RefusedException(Refusal.NOT_READY, "gamewire is starting: the title files are still being"
                    + " loaded, so " + key + " cannot be checked yet; resend in a moment", 1, null);
        }
        ApiKeyRing.Decision decision = authorize(keySha256, key, access);
        if (access == Access.PUBLISH) {
            checkRate(decision);
        }
        CommandDefinition command = command(key);
        checkPayload(key, command, contentType, payload);
        return new Admitted(key, command, decision);
    }

    private ApiKeyRing.Decision authorize(String keySha256, RoutingKey key, Access access) {
        if (keySha256 == null) {
            throw new RefusedException(Refusal.UNKNOWN_KEY, "no API key given");
        }
        ApiKeyRing.Decision decision = titles.keys().authorizeHashed(keySha256, key, access);
        return switch (decision.outcome()) {
            case UNKNOWN_KEY -> throw new RefusedException(Refusal.UNKNOWN_KEY, decision.reason());
            case FORBIDDEN -> throw new RefusedException(Refusal.NOT_ALLOWED, decision.reason());
            case ALLOWED -> decision;
        };
    }

    private void checkRate(ApiKeyRing.Decision decision) {
        long retryAfter = rateLimits.acquire(decision.title() + "/" + decision.keyName(), decision.rateLimitPerSecond());
        if (retryAfter > 0) {
            throw new RefusedException(Refusal.RATE_LIMITED, "key '" + decision.keyName() + "' is over its rate limit of "
                    + decision.rateLimitPerSecond() + " events/s (title file " + decision.title() + ".yaml); retry after "
                    + retryAfter + " s", retryAfter, null);
        }
    }

    private CommandDefinition command(RoutingKey key) {
        try {
            return titles.resolve(key);
        } catch (TitleRegistry.UnknownRoutingKeyException e) {
            throw new RefusedException(Refusal.UNKNOWN_SERVICE, "routing key '" + key + "': " + e.getMessage());
        }
    }

    /**
     * A command that reads its payload (schema, sinks, query) needs JSON; others take any bytes. A
     * payload that claims to be JSON must be valid JSON in any case.
     */
    private void checkPayload(RoutingKey key, CommandDefinition command, String contentType, ByteBuffer payload) {
        boolean readsPayload = command.schema() != null || command.sql() != null || command.kv() != null
                || command.cache() != null || command.query() != null;
        boolean isJson = ContentTypes.isJson(contentType);
        if (readsPayload && !isJson) {
            throw new RefusedException(Refusal.UNSUPPORTED_CONTENT_TYPE, "content type '" + contentType + "' is not "
                    + "accepted for " + key + ", whose payload is JSON; send application/json");
        }
        if (!isJson) {
            return;
        }
        json.check(payload, command.schema(), "schema of " + key);
    }

    /** The prefix of the attribute names gamewire reserves for itself ({@code gw-received-at}, {@code gw-source}, …). */
    public static final String RESERVED_PREFIX = "gw-";

    /**
     * Refuses an envelope whose client set a {@code gw-} attribute: those say what gamewire saw
     * (when it received the event, where from, what it replays), and a client that could set them
     * could pass an event off as a replay or move its delay. Refused rather than dropped, so the
     * client learns that the attribute never arrives.
     */
    public static void refuseReservedAttributes(String routingKey, Map<String, String> attributes) {
        for (String name : attributes.keySet()) {
            if (name.startsWith(RESERVED_PREFIX)) {
                throw new RefusedException(Refusal.INVALID_EVENT, "attribute '" + name + "' of " + routingKey
                        + " is reserved: names starting with " + RESERVED_PREFIX + " are set by gamewire only;"
                        + " rename it");
            }
        }
    }

    /** Attributes of a published envelope: the client's, plus when gamewire received it. */
    public static Map<String, String> withReceivedAt(Map<String, String> attributes, long receivedAt) {
        if (attributes.isEmpty()) {
            return Map.of(io.gamewire.protocol.ReservedAttributes.RECEIVED_AT, Long.toString(receivedAt));
        }
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(attributes);
        all.put(io.gamewire.protocol.ReservedAttributes.RECEIVED_AT, Long.toString(receivedAt));
        return all;
    }
}
