package io.gamewire.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.BusMessages;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.protocol.camel.GwpHeaders;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.titles.CommandNotDefinedException;
import io.gamewire.titles.TitleNotInForceException;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.QuerySpec;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a REQUEST that arrived on a service queue, from the sources the command's {@code query}
 * (title file) names, keys filled from the request's payload, tried in this order:
 * <ol>
 *   <li>the cache entry, a copy of an earlier answer: returned as it is;</li>
 *   <li>the KV record: its fields as strings;</li>
 *   <li>the table row, by its key: its declared columns typed as declared, NULL columns left out.</li>
 * </ol>
 * The first that has the record answers, and a cache miss is filled with that answer for the
 * cache's TTL. The cache is a read-through copy: a later write to the KV record or the row shows
 * only once the entry expired, so an answer may be up to the TTL stale.
 *
 * <p>The answer is a REPLY envelope whose {@code gw-status} attribute says how it went (200 with the
 * record as a JSON object, 404 naming what was looked up when no source has it, 400 for a request
 * the command cannot answer, 503 when the KV store or the database failed); the consumer's
 * listener sends it to the request's reply-to queue. A cache that fails counts as a miss (it only
 * ever holds copies), so a broken cache slows queries down but never fails them.
 *
 * <p>It never throws: a request is answered once, with an error if need be, and never retried, since
 * its requester stops waiting after its timeout.
 */
public class QueryResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(QueryResponder.class);

    private final ObjectMapper json;
    private final JsonPayloads payloads;
    private final TitleRegistry titles;
    private final EventCache cache;
    private final KvStore kv;
    private final RowReader rows;

    public QueryResponder(ObjectMapper json, TitleRegistry titles, EventCache cache, KvStore kv, RowReader rows) {
        this.json = json;
        this.payloads = new JsonPayloads(json);
        this.titles = titles;
        this.cache = cache;
        this.kv = kv;
        this.rows = rows;
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
        } catch (CommandNotDefinedException e) {
            answer = new Answer(404, error(e.getMessage()));
        } catch (TitleNotInForceException e) {
            // not an answer about the data: the title may be in force a moment later
            answer = new Answer(503, error(e.getMessage()));
        } catch (RefusedException | IllegalArgumentException e) {
            answer = new Answer(400, error(e.getMessage()));
        } catch (SQLException | RuntimeException e) {
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

    private Answer answer(RoutingKey key, String requestId, byte[] payload) throws SQLException {
        CommandDefinition command = titles.commandToStore(key);
        QuerySpec query = command.query();
        if (query == null) {
            return new Answer(400, error("command " + key + " is not a query (its title file gives it no query:)"));
        }
        JsonNode request = payloads.parse(ByteBuffer.wrap(payload == null ? new byte[0] : payload));
        // every key is made before any store is asked: a request lacking a field is a 400 whatever is stored
        String cacheKey = query.cache() == null ? null : query.cache().key().render(key, requestId, request);
        String recordKey = query.kv() == null ? null : query.kv().render(key, requestId, request);
        Map<String, Object> rowKey = query.sql() == null ? null : rowKey(query.sql(), request);

        if (cacheKey != null) {
            Optional<byte[]> cached = cached(cacheKey);
            if (cached.isPresent()) {
                return new Answer(200, cached.get());
            }
        }
        byte[] body = null;
        if (recordKey != null) {
            Map<String, String> record = kv.get(recordKey);
            body = record.isEmpty() ? null : bytes(json.valueToTree(new TreeMap<>(record)));
        }
        if (body == null && rowKey != null) {
            body = rows.read(query.sql().table(), rowKey).map(row -> bytes(json.valueToTree(row))).orElse(null);
        }
        if (body == null) {
            return new Answer(404, error(notFound(recordKey, query.sql(), rowKey)));
        }
        if (cacheKey != null) {
            fill(cacheKey, body, query.cache().ttl());
        }
        return new Answer(200, body);
    }

    /** The value of each key column, from the request's payload, as the column's type binds it. */
    private static Map<String, Object> rowKey(QuerySpec.SqlSource sql, JsonNode request) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonPath> column : sql.key().entrySet()) {
            String where = "key column " + column.getKey() + " of " + sql.table().table();
            JsonNode value = request == null ? null : column.getValue().read(request);
            if (value == null) {
                throw new IllegalArgumentException(where + " needs payload field " + column.getValue() + ", which is missing");
            }
            try {
                values.put(column.getKey(), sql.table().columns().get(column.getKey()).type().value(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ", from " + column.getValue() + ": " + e.getMessage(), e);
            }
        }
        return values;
    }

    private Optional<byte[]> cached(String cacheKey) {
        try {
            return cache.get(cacheKey);
        } catch (RuntimeException e) {
            LOG.warn("Query cache read of {} failed, reading the sources instead: {}", cacheKey, e.toString());
            return Optional.empty();
        }
    }

    private void fill(String cacheKey, byte[] body, Duration ttl) {
        try {
            cache.put(cacheKey, body, ttl);
        } catch (RuntimeException e) {
            LOG.warn("Query cache write of {} failed; the answer stands: {}", cacheKey, e.toString());
        }
    }

    /** What was looked up, for the 404: {@code no record player:p1, no row in t where id = 'p1'}. */
    private static String notFound(String recordKey, QuerySpec.SqlSource sql, Map<String, Object> rowKey) {
        List<String> misses = new ArrayList<>();
        if (recordKey != null) {
            misses.add("no record " + recordKey);
        }
        if (rowKey != null) {
            misses.add("no row in " + sql.table().table() + " where " + String.join(" and ", rowKey.entrySet().stream()
                    .map(column -> column.getKey() + " = " + (column.getValue() instanceof String text
                            ? "'" + text + "'" : column.getValue()))
                    .toList()));
        }
        return String.join(", ", misses);
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
