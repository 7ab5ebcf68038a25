package io.gamewire.titles.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A key for the KV store or the cache, such as {@code player:{payload.playerId}}: literal text with
 * placeholders {@code {payload.<path>}}, {@code {title}}, {@code {env}}, {@code {service}},
 * {@code {command}} and {@code {messageId}}.
 *
 * @param parts literal text (String) and payload paths (JsonPath) and envelope fields (Placeholder)
 */
public record KeyTemplate(String text, List<Object> parts) {

    /** An envelope field used in a key. */
    public enum Placeholder {
        TITLE, ENV, SERVICE, COMMAND, MESSAGEID
    }

    private static final Set<String> ENVELOPE_FIELDS = Set.of("title", "env", "service", "command", "messageId");

    /**
     * Parses the template.
     *
     * @return the template, or an error message naming the bad placeholder
     */
    public static Result parse(String text) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('{', at);
            if (open < 0) {
                parts.add(text.substring(at));
                break;
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                return Result.error("'{' at position " + (open + 1) + " is never closed");
            }
            String name = text.substring(open + 1, close);
            if (name.startsWith("payload.")) {
                Optional<JsonPath> path = JsonPath.parse("$." + name.substring("payload.".length()));
                if (path.isEmpty()) {
                    return Result.error("placeholder {" + name + "} is not a payload path such as {payload.playerId}");
                }
                parts.add(path.get());
            } else if (ENVELOPE_FIELDS.contains(name)) {
                parts.add(Placeholder.valueOf(name.toUpperCase(java.util.Locale.ROOT)));
            } else {
                return Result.error("unknown placeholder {" + name + "}; use {payload.<field>}, {title}, {env}, {service},"
                        + " {command} or {messageId}");
            }
            at = close + 1;
        }
        if (text.length() > 200 || text.chars().anyMatch(c -> c <= ' ')) {
            return Result.error("a key template must be at most 200 characters without spaces");
        }
        return new Result(new KeyTemplate(text, List.copyOf(parts)), null);
    }

    /**
     * The key for one message.
     *
     * @throws IllegalArgumentException naming the payload path that is missing or not a scalar
     */
    public String render(io.gamewire.protocol.RoutingKey routingKey, String messageId,
                         com.fasterxml.jackson.databind.JsonNode payload) {
        StringBuilder key = new StringBuilder(text.length() + 16);
        for (Object part : parts) {
            if (part instanceof String literal) {
                key.append(literal);
            } else if (part instanceof JsonPath path) {
                com.fasterxml.jackson.databind.JsonNode value = payload == null ? null : path.read(payload);
                if (value == null || value.isContainerNode()) {
                    throw new IllegalArgumentException("key " + text + " needs payload field " + path
                            + (value == null ? ", which is missing" : " to be a string or number, is " + value.getNodeType()));
                }
                key.append(value.asText());
            } else {
                key.append(switch ((Placeholder) part) {
                    case TITLE -> routingKey.title();
                    case ENV -> routingKey.env();
                    case SERVICE -> routingKey.service();
                    case COMMAND -> routingKey.command();
                    case MESSAGEID -> messageId;
                });
            }
        }
        return key.toString();
    }

    /**
     * Every key this template can render for a command {@code command} of service {@code service}
     * of title {@code title} in one of {@code environments}: literal text as it is, the envelope
     * placeholders as the values they can take, a payload value as any text (it may even be empty or
     * hold the template's separators, so a key can match more than one template).
     */
    public java.util.regex.Pattern pattern(String title, List<String> environments, String service, String command) {
        StringBuilder regex = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String literal) {
                regex.append(java.util.regex.Pattern.quote(literal));
            } else if (part instanceof JsonPath) {
                regex.append(".*");
            } else {
                regex.append(switch ((Placeholder) part) {
                    case TITLE -> java.util.regex.Pattern.quote(title);
                    case ENV -> "(?:" + String.join("|", environments.stream().map(java.util.regex.Pattern::quote)
                            .toList()) + ")";
                    case SERVICE -> java.util.regex.Pattern.quote(service);
                    case COMMAND -> java.util.regex.Pattern.quote(command);
                    case MESSAGEID -> "[0-9a-fA-F-]{36}";
                });
            }
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL);
    }

    /** The payload paths this template reads. */
    public List<JsonPath> payloadPaths() {
        return parts.stream().filter(JsonPath.class::isInstance).map(JsonPath.class::cast).toList();
    }

    /** A parsed template or the reason it is not one. */
    public record Result(KeyTemplate template, String error) {
        static Result error(String message) {
            return new Result(null, message);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
