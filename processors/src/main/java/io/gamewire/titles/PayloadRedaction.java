package io.gamewire.titles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PayloadSchema;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A payload as an operator may see it: the fields its command's schema marks {@code redact: true}
 * have the value {@value #MASK}, whatever their type (an object or array is masked whole). Every view
 * that shows stored or travelling payloads to people calls this: the live tail, the event and compare
 * views of the admin API and the consoles. The payload given is never changed; a copy is returned
 * when something is masked.
 *
 * <p>It fails closed: a payload whose command the titles in force do not define (a removed title, an
 * unknown routing key) is masked whole, since nothing says which of its fields are secret; so is a
 * payload that is not a JSON object (a pulled item that broke its schema, say) when its command
 * marks fields, since the marked fields could be anywhere in it. A command without schema, or whose
 * schema marks nothing, is shown as it is.
 */
public final class PayloadRedaction {

    /** What a redacted value is replaced with. */
    public static final String MASK = "***";

    /**
     * Envelope attributes whose name contains one of these words are never shown (the tail, the event
     * views, the SQL console's {@code events.attributes}): keys, tokens and secrets a client may have
     * put in its own attributes.
     */
    private static final Pattern SECRET_ATTRIBUTE = Pattern.compile(
            "key|token|secret|password|passwd|auth|credential|cookie|session|signature");

    private final TitleRegistry titles;

    public PayloadRedaction(TitleRegistry titles) {
        this.titles = titles;
    }

    /** The payload of a message with this routing key, redacted by its command's schema. */
    /**
     * The rules redaction follows now, to compare by identity: another object once a title reload
     * changed the titles in force. For whoever keeps what it redacted (the live tail's frames).
     */
    public Object rulesInForce() {
        return titles.titles();
    }

    public JsonNode redact(String routingKey, JsonNode payload) {
        Optional<CommandDefinition> command = command(routingKey);
        return command.isPresent() ? redact(command.get().schema(), payload) : TextNode.valueOf(MASK);
    }

    /**
     * The top-level payload fields of this routing key's command that are redacted; empty when its
     * command is not defined by the titles in force (then nothing of it may be shown: fail closed).
     */
    public Optional<Set<String>> redactedFields(String routingKey) {
        return command(routingKey).map(command -> command.schema() == null ? Set.of() : command.schema().redacted());
    }

    /**
     * Whether a value taken from the payload at {@code path} (a sink's column or field) must be
     * masked: it lies in a redacted field, or is the whole payload of a command that marks any.
     */
    public static boolean derivedFromRedacted(Set<String> redacted, JsonPath path) {
        return !redacted.isEmpty() && (path.isRoot() || redacted.contains(path.topField()));
    }

    /**
     * Whether any command of the titles in force marks a field {@code redact: true}. Where nothing
     * says which command some stored data came from (a KV record or cache entry no sink template
     * matches, an {@code events.payload} without its routing key), it is masked when this is true.
     */
    public boolean anyFieldRedacted() {
        return titles.titles().values().stream()
                .flatMap(title -> title.services().values().stream())
                .flatMap(service -> service.commands().values().stream())
                .anyMatch(command -> command.schema() != null && !command.schema().redacted().isEmpty());
    }

    /** Whether an envelope attribute of this name is never shown (its name says it may hold a secret). */
    public static boolean isSecretAttribute(String name) {
        return SECRET_ATTRIBUTE.matcher(name.toLowerCase(Locale.ROOT)).find();
    }

    /** The attributes an operator may see, sorted by name: those {@link #isSecretAttribute} left out. */
    public static Map<String, String> shownAttributes(Map<String, String> attributes) {
        Map<String, String> shown = new TreeMap<>();
        attributes.forEach((name, value) -> {
            if (!isSecretAttribute(name)) {
                shown.put(name, value);
            }
        });
        return shown;
    }

    private Optional<CommandDefinition> command(String routingKey) {
        try {
            return titles.command(RoutingKey.parse(routingKey));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The payload redacted by {@code schema} (null: no schema, nothing to redact). */
    public static JsonNode redact(PayloadSchema schema, JsonNode payload) {
        if (schema == null || schema.redacted().isEmpty() || payload == null) {
            return payload;
        }
        if (!payload.isObject()) {
            return TextNode.valueOf(MASK);
        }
        ObjectNode copy = null;
        for (String field : schema.redacted()) {
            if (payload.has(field) && !payload.get(field).isNull()) {
                if (copy == null) {
                    copy = ((ObjectNode) payload).deepCopy();
                }
                copy.put(field, MASK);
            }
        }
        return copy == null ? payload : copy;
    }
}
