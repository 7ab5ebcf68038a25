package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.ingest.EventAdmission;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.sql.StoredEvent;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events for an operator, {@code POST /v1/admin/send} and {@code POST /v1/admin/replay}:
 * to the staging environment ({@code gamewire.console.staging-environment}) unless told otherwise,
 * to {@value #PROD} only with {@code "prod": true} (403 otherwise). The payload passes the command's
 * schema as a pulled item's does (no API key, no rate limit: the admin token stands for them), and
 * the event is published confirmed, with {@code gw-source: console} or, for a replay,
 * {@code gw-source: replay} and {@code gw-replay-of: <original id>}.
 */
public final class ConsoleSender {

    /** The environment that needs {@code "prod": true}. */
    public static final String PROD = "prod";

    private final TitleRegistry titles;
    private final JsonPayloads payloads;
    private final EnvelopePublisher envelopes;
    private final String stagingEnvironment;
    private final long confirmTimeoutMs;

    public ConsoleSender(TitleRegistry titles, JsonPayloads payloads, EnvelopePublisher envelopes,
                         String stagingEnvironment, long confirmTimeoutMs) {
        this.titles = titles;
        this.payloads = payloads;
        this.envelopes = envelopes;
        this.stagingEnvironment = stagingEnvironment;
        this.confirmTimeoutMs = confirmTimeoutMs;
    }

    /** What was published: the new message id and where. */
    public record Sent(UUID messageId, String routingKey) {
    }

    /**
     * Sends {@code payload} to {@code routingKey}: {@code title.service.command} goes to the staging
     * environment, {@code title.env.service.command} where it says.
     */
    public Sent send(String routingKey, JsonNode payload, boolean prod) throws Exception {
        RoutingKey key = target(routingKey);
        requireAllowed(key.env(), prod);
        byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        Map<String, String> attributes = Map.of(ReservedAttributes.SOURCE, "console");
        return publish(key, "application/json", bytes, System.currentTimeMillis(), attributes);
    }

    /**
     * Publishes a stored event again under the same title, service and command in {@code toEnv}
     * (the staging environment when null), with a new message id; its own attributes are kept,
     * gamewire's ({@code gw-*}) are set anew.
     */
    public Sent replay(StoredEvent original, String toEnv, boolean prod) throws Exception {
        RoutingKey from = original.routingKey();
        String env = toEnv == null || toEnv.isEmpty() ? stagingEnvironment : toEnv;
        RoutingKey key = known(new RoutingKey(from.title(), env, from.service(), from.command()).toString());
        requireAllowed(env, prod);
        Map<String, String> attributes = new LinkedHashMap<>();
        original.attributes().forEach((name, value) -> {
            if (!name.startsWith("gw-")) {
                attributes.put(name, value);
            }
        });
        attributes.put(ReservedAttributes.SOURCE, "replay");
        attributes.put(ReservedAttributes.REPLAY_OF, original.messageId().toString());
        // the original's event time: staging sees the event as production did
        return publish(key, original.contentType(), original.payload(), original.eventTimeMs(), attributes);
    }

    private Sent publish(RoutingKey key, String contentType, byte[] payload, long eventTime,
                         Map<String, String> attributes) throws Exception {
        CommandDefinition command = titles.resolve(key);
        if (command.schema() != null) {
            payloads.check(ByteBuffer.wrap(payload), command.schema(), "schema of " + key);
        }
        UUID id = MessageIds.next();
        Envelope event = new Envelope(FrameType.EVENT, id, null, eventTime, contentType, key.toString(),
                EventAdmission.withReceivedAt(attributes, System.currentTimeMillis()), ByteBuffer.wrap(payload));
        try {
            envelopes.publishEvent(event).get(confirmTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new RequestRefusedException(503, "the broker did not confirm " + id + " within "
                    + confirmTimeoutMs + " ms (gamewire.bus.confirm-timeout-ms); it may or may not be stored");
        }
        return new Sent(id, key.toString());
    }

    /** The full routing key: a 3-part key gets the staging environment. */
    private RoutingKey target(String routingKey) {
        if (routingKey == null || routingKey.isEmpty()) {
            throw new RequestRefusedException(400, "name the routing key: title.service.command (to "
                    + stagingEnvironment + ") or title.env.service.command");
        }
        String[] parts = routingKey.split("\\.", -1);
        if (parts.length == 3) {
            return known(parts[0] + "." + stagingEnvironment + "." + parts[1] + "." + parts[2]);
        }
        if (parts.length == 4) {
            return known(routingKey);
        }
        throw new RequestRefusedException(400, "routing key '" + routingKey + "' has " + parts.length + " parts; give"
                + " title.service.command (sent to " + stagingEnvironment + ") or title.env.service.command");
    }

    /** A routing key whose title, environment, service and command are in force (404 naming what is not). */
    private RoutingKey known(String text) {
        RoutingKey key;
        try {
            key = RoutingKey.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException(400, e.getMessage());
        }
        TitleDefinition title = titles.titles().get(key.title());
        if (title != null && !title.environments().contains(key.env()) && key.env().equals(stagingEnvironment)) {
            throw new RequestRefusedException(404, "title '" + key.title() + "' has no environment '" + key.env()
                    + "', the staging environment (gamewire.console.staging-environment); its environments: "
                    + String.join(", ", title.environments()));
        }
        try {
            titles.resolve(key);
        } catch (TitleRegistry.UnknownRoutingKeyException e) {
            throw new RequestRefusedException(404, e.getMessage());
        }
        return key;
    }

    private static void requireAllowed(String env, boolean prod) {
        if (PROD.equals(env) && !prod) {
            throw new RequestRefusedException(403, "publishing to " + PROD + " needs \"prod\": true (the console's"
                    + " --prod, with confirmation)");
        }
    }
}
