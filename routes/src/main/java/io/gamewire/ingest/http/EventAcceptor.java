package io.gamewire.ingest.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.BusMessages;
import io.gamewire.ingest.KeyRateLimits;
import io.gamewire.protocol.InvalidRoutingKeyException;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.protocol.camel.GwpHeaders;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.PayloadValidator;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.titles.model.CommandDefinition;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * Checks an HTTP event ({@code POST /v1/events/{routingKey}}) and prepares the exchange for the
 * {@code gwp} data format and the AMQP publish: routing key, a new message id, JSON content type,
 * timestamps.
 *
 * <p>Refusals throw {@link RequestRefusedException} before anything is published: 401/403 when the
 * bearer key may not publish to the key's title and environment, 429 (with {@code Retry-After}) over
 * the key's rate limit, 400 for a bad routing key, invalid JSON or a payload that breaks the command's schema, 404 for a routing key
 * whose title, environment, service or command no title file defines, 413 for a body over the
 * limit, 415 for a content type other than JSON.
 */
public class EventAcceptor implements Processor {

    /** The message id of the accepted event, for the 202 answer. */
    public static final String MESSAGE_ID = "gamewireMessageId";

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final KeyRateLimits rateLimits;
    private final int maxBodyBytes;

    public EventAcceptor(ObjectMapper json, TitleRegistry titles, KeyRateLimits rateLimits, int maxBodyBytes) {
        this.json = json;
        this.titles = titles;
        this.rateLimits = rateLimits;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        RoutingKey key = routingKey(message.getHeader("routingKey", String.class));
        ApiKeyRing.Decision decision = BearerAuthorization.require(titles.keys(), BearerAuthorization.presentedKey(exchange),
                key, Access.PUBLISH);
        long retryAfter = rateLimits.acquire(decision.title() + "/" + decision.keyName(), decision.rateLimitPerSecond());
        if (retryAfter > 0) {
            throw new RequestRefusedException(429, "key '" + decision.keyName() + "' is over its rate limit of "
                    + decision.rateLimitPerSecond() + " events/s (title file " + decision.title() + ".yaml); retry after "
                    + retryAfter + " s", Map.of("Retry-After", Long.toString(retryAfter)));
        }
        CommandDefinition command = command(key);
        checkContentType(message.getHeader(Exchange.CONTENT_TYPE, String.class));
        byte[] body = message.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new RequestRefusedException(400, "request body is empty; expected a JSON value");
        }
        if (body.length > maxBodyBytes) {
            throw new RequestRefusedException(413, "request body is " + body.length + " bytes, the limit is "
                    + maxBodyBytes + " (gamewire.http.max-body-bytes)");
        }
        JsonNode payload = parseJson(body);
        try {
            PayloadValidator.check(command.schema(), payload);
        } catch (PayloadValidator.InvalidPayloadException e) {
            throw new RequestRefusedException(400, e.getMessage() + " (schema of " + key + ")");
        }

        long now = System.currentTimeMillis();
        UUID id = MessageIds.at(now);
        // Only what the bus needs travels on: HTTP headers of the request stay here. The envelope
        // fields go to the gwp data format; the AMQP properties repeat id and key for broker tools.
        message.removeHeaders("*");
        message.setBody(body);
        message.setHeader(GwpHeaders.ROUTING_KEY, key.toString());
        message.setHeader(GwpHeaders.MESSAGE_ID, id.toString());
        message.setHeader(GwpHeaders.TIMESTAMP, now);
        message.setHeader(GwpHeaders.CONTENT_TYPE, "application/json");
        message.setHeader(GwpHeaders.ATTRIBUTES, Map.of(ReservedAttributes.RECEIVED_AT, Long.toString(now)));
        message.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, key.toString());
        message.setHeader(SpringRabbitMQConstants.MESSAGE_ID, id.toString());
        message.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, BusMessages.CONTENT_TYPE);
        message.setHeader(SpringRabbitMQConstants.DELIVERY_MODE, MessageDeliveryMode.PERSISTENT);
        exchange.setProperty(MESSAGE_ID, id.toString());
    }

    private static RoutingKey routingKey(String text) {
        try {
            return RoutingKey.parse(text);
        } catch (InvalidRoutingKeyException e) {
            throw new RequestRefusedException(400, e.getMessage());
        }
    }

    private CommandDefinition command(RoutingKey key) {
        try {
            return titles.resolve(key);
        } catch (TitleRegistry.UnknownRoutingKeyException e) {
            throw new RequestRefusedException(404, "routing key '" + key + "': " + e.getMessage());
        }
    }

    /** JSON only, for now; a request without a content type is read as JSON. */
    private static void checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw new RequestRefusedException(415, "content type '" + contentType
                    + "' is not accepted; send the event as application/json");
        }
    }

    /** Parses the whole body as exactly one JSON value, naming line and column of the first error. */
    private JsonNode parseJson(byte[] body) {
        try (JsonParser parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() == null) {
                throw new RequestRefusedException(400, "request body is blank; expected a JSON value");
            }
            JsonNode payload = json.readTree(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new RequestRefusedException(400, "invalid JSON: unexpected " + trailing
                        + " after the value at " + where(parser.currentLocation()));
            }
            return payload;
        } catch (JsonProcessingException e) {
            throw new RequestRefusedException(400, "invalid JSON: " + e.getOriginalMessage() + " at "
                    + where(e.getLocation()));
        } catch (IOException e) {
            throw new RequestRefusedException(400, "invalid JSON: " + e.getMessage());
        }
    }

    private static String where(JsonLocation location) {
        return location == null ? "unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
