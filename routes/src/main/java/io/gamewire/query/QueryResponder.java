package io.gamewire.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.bus.BusMessages;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.protocol.camel.GwpHeaders;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a REQUEST that arrived on a service queue: the command's {@code query} (title file) names
 * the KV record to read, with placeholders filled from the request's payload. The answer is a
 * REPLY envelope whose {@code gw-status} attribute says how it went (200 with the record as a JSON
 * object, 404 when there is no such record, 400 for a request the command cannot answer, 503 when
 * the store failed); the consumer's listener sends it to the request's reply-to queue.
 *
 * <p>It never throws: a request is answered once, with an error if need be, and never retried, since
 * its requester stops waiting after its timeout.
 */
public class QueryResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(QueryResponder.class);

    private final ObjectMapper json;
    private final JsonPayloads payloads;
    private final TitleRegistry titles;
    private final KvStore kv;

    public QueryResponder(ObjectMapper json, TitleRegistry titles, KvStore kv) {
        this.json = json;
        this.payloads = new JsonPayloads(json);
        this.titles = titles;
        this.kv = kv;
    }

    /** True when the unmarshalled message is a REQUEST (its reply-to is where the answer goes). */
    public static boolean isRequest(Exchange exchange) {
        return FrameType.REQUEST.name().equals(exchange.getMessage().getHeader(GwpHeaders.FRAME_TYPE, String.class));
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String requestId = message.getHeader(GwpHeaders.MESSAGE_ID, String.class);
        String key = message.getHeader(GwpHeaders.ROUTING_KEY, String.class);
        Answer answer;
        try {
            answer = answer(RoutingKey.parse(key), requestId, message.getBody(byte[].class));
        } catch (RefusedException | IllegalArgumentException e) {
            answer = new Answer(400, error(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("Query {} failed: {}", key, e.toString());
            answer = new Answer(503, error("the query failed: " + e.getMessage()));
        }
        message.removeHeaders("*");
        message.setBody(answer.body());
        message.setHeader(GwpHeaders.FRAME_TYPE, FrameType.REPLY.name());
        message.setHeader(GwpHeaders.MESSAGE_ID, MessageIds.next().toString());
        message.setHeader(GwpHeaders.CORRELATION_ID, requestId);
        message.setHeader(GwpHeaders.ROUTING_KEY, key);
        message.setHeader(GwpHeaders.CONTENT_TYPE, "application/json");
        message.setHeader(GwpHeaders.ATTRIBUTES, Map.of(ReservedAttributes.STATUS, Integer.toString(answer.status())));
        message.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, BusMessages.CONTENT_TYPE);
    }

    private record Answer(int status, byte[] body) {
    }

    private Answer answer(RoutingKey key, String requestId, byte[] payload) {
        CommandDefinition command = titles.command(key).orElse(null);
        if (command == null) {
            return new Answer(404, error("no title file defines " + key));
        }
        if (command.query() == null || command.query().kv() == null) {
            return new Answer(400, error("command " + key + " is not a query (its title file gives it no query:)"));
        }
        JsonNode request = payloads.parse(ByteBuffer.wrap(payload == null ? new byte[0] : payload));
        String recordKey = command.query().kv().render(key, requestId, request);
        Map<String, String> record = kv.get(recordKey);
        if (record.isEmpty()) {
            return new Answer(404, error("no record " + recordKey));
        }
        ObjectNode body = json.createObjectNode();
        new TreeMap<>(record).forEach(body::put);
        return new Answer(200, bytes(body));
    }

    private byte[] error(String text) {
        return bytes(json.createObjectNode().put("error", text));
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
