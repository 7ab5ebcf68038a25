package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.admin.AdminAuthorization;
import io.gamewire.admin.AdminRequests;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.StoredEvent;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the admin API's data endpoints, each after {@link AdminAuthorization}; the console
 * ({@code gamewire console}) and the web console are their clients:
 * <ul>
 *   <li>{@link #titles()} {@code GET /v1/admin/titles}, {@link #routes()} {@code GET /v1/admin/routes};</li>
 *   <li>{@link #event()} {@code GET /v1/admin/events/{id}}, {@link #compare()}
 *       {@code GET /v1/admin/compare?a=&b=}: stored events and what they left in SQL, KV and cache;</li>
 *   <li>{@link #kv()} {@code GET /v1/admin/kv?key=}, {@link #cache()} {@code GET /v1/admin/cache?key=}:
 *       a raw record or entry (404 when there is none), redacted by the sinks whose key templates
 *       match the key ({@link StoredRecordRedaction});</li>
 *   <li>{@link #sql()} {@code POST /v1/admin/sql {"sql", "limit"}}: one read-only SELECT (400 naming
 *       why it is refused, 400 with the database's message when it fails there, 504 when
 *       {@code gamewire.console.sql-timeout} runs out);</li>
 *   <li>{@link #send()} {@code POST /v1/admin/send {"routingKey", "payload", "prod"}} and
 *       {@link #replay()} {@code POST /v1/admin/replay {"messageId", "toEnv", "prod"}}: 202 with the
 *       new message id (403 for prod without {@code "prod": true}).</li>
 * </ul>
 */
public final class DataAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(DataAdmin.class);

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final TitleCatalog catalog;
    private final RouteTable routes;
    private final EventInspector inspector;
    private final EventComparison comparison;
    private final KvStore kv;
    private final EventCache cache;
    private final SqlConsole sql;
    private final ConsoleSender sender;
    private final StoredRecordRedaction records;

    public DataAdmin(ObjectMapper json, TitleRegistry titles, RouteTable routes, EventInspector inspector, KvStore kv,
                     EventCache cache, SqlConsole sql, ConsoleSender sender, PayloadRedaction redaction) {
        this.json = json;
        this.titles = titles;
        this.catalog = new TitleCatalog(json, titles);
        this.routes = routes;
        this.inspector = inspector;
        this.comparison = new EventComparison(json);
        this.kv = kv;
        this.cache = cache;
        this.sql = sql;
        this.sender = sender;
        this.records = new StoredRecordRedaction(json, titles, redaction);
    }

    public Processor titles() {
        return exchange -> AdminRequests.answer(exchange, 200, catalog.describe());
    }

    public Processor routes() {
        return exchange -> AdminRequests.answer(exchange, 200, routes.describe());
    }

    public Processor event() {
        return exchange -> AdminRequests.answer(exchange, 200, view(messageId(header(exchange, "id"), "id")));
    }

    public Processor compare() {
        return exchange -> {
            ObjectNode a = view(messageId(required(exchange, "a", "compare?a=ID&b=ID"), "a"));
            ObjectNode b = view(messageId(required(exchange, "b", "compare?a=ID&b=ID"), "b"));
            AdminRequests.answer(exchange, 200, comparison.compare(a, b));
        };
    }

    public Processor kv() {
        return exchange -> {
            String key = required(exchange, "key", "kv?key=KEY");
            Map<String, String> fields = kv.get(key);
            if (fields.isEmpty()) {
                throw new RequestRefusedException(404, "the KV store has no record '" + key + "'");
            }
            AdminRequests.answer(exchange, 200, records.kvRecord(key, fields));
        };
    }

    public Processor cache() {
        return exchange -> {
            String key = required(exchange, "key", "cache?key=KEY");
            byte[] value = cache.get(key).orElseThrow(() -> new RequestRefusedException(404,
                    "the cache has no entry '" + key + "' (never written, expired or evicted)"));
            AdminRequests.answer(exchange, 200, records.cacheEntry(key, value));
        };
    }

    public Processor sql() {
        return exchange -> {
            JsonNode request = body(exchange, "{\"sql\": \"SELECT …\", \"limit\": 100}");
            int limit = request.path("limit").isMissingNode() || request.path("limit").isNull() ? 100
                    : request.path("limit").asInt(-1);
            SqlConsole.Result result;
            try {
                result = sql.query(request.path("sql").asText(null), Math.min(limit, sql.maxRows()));
            } catch (SqlRefusedException e) {
                throw new RequestRefusedException(400, "refused: " + e.getMessage());
            } catch (SqlFailedException e) {
                // the operator's query, not gamewire, failed: a line, no stack trace
                LOG.info("SQL console query failed: {}", e.getMessage());
                throw new RequestRefusedException(e.timedOut() ? 504 : 400, e.getMessage());
            }
            ObjectNode body = json.createObjectNode();
            body.set("columns", json.valueToTree(result.columns()));
            body.set("rows", json.valueToTree(result.rows()));
            body.put("truncated", result.truncated());
            AdminRequests.answer(exchange, 200, body);
        };
    }

    public Processor send() {
        return exchange -> {
            AdminRequests.requireTitlesLoaded(titles);
            JsonNode request = body(exchange, "{\"routingKey\": \"title.service.command\", \"payload\": {...}}");
            if (!request.has("payload")) {
                throw new RequestRefusedException(400, "the body has no payload: {\"routingKey\": ..., \"payload\": {...}}");
            }
            ConsoleSender.Sent sent = sender.send(request.path("routingKey").asText(null), request.get("payload"),
                    request.path("prod").asBoolean(false));
            AdminRequests.answer(exchange, 202, sent(sent, null));
        };
    }

    public Processor replay() {
        return exchange -> {
            AdminRequests.requireTitlesLoaded(titles);
            JsonNode request = body(exchange, "{\"messageId\": \"...\", \"toEnv\": \"staging\"}");
            UUID id = messageId(request.path("messageId").asText(null), "messageId");
            StoredEvent original = inspector.event(id).orElseThrow(() -> new RequestRefusedException(404,
                    "no stored event " + id));
            ConsoleSender.Sent sent = sender.replay(original, request.path("toEnv").asText(null),
                    request.path("prod").asBoolean(false));
            AdminRequests.answer(exchange, 202, sent(sent, id));
        };
    }

    private ObjectNode sent(ConsoleSender.Sent sent, UUID replayOf) {
        ObjectNode body = json.createObjectNode().put("messageId", sent.messageId().toString())
                .put("routingKey", sent.routingKey());
        if (replayOf != null) {
            body.put("replayOf", replayOf.toString());
        }
        return body;
    }

    private ObjectNode view(UUID id) throws Exception {
        Optional<ObjectNode> view = inspector.view(id);
        return view.orElseThrow(() -> new RequestRefusedException(404, "no stored event " + id));
    }

    private static UUID messageId(String text, String field) {
        if (text == null || text.isEmpty()) {
            throw new RequestRefusedException(400, "name the event: " + field + " is missing");
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException(400, field + " must be a message id (a UUID), is '" + text + "'");
        }
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    private static String required(Exchange exchange, String name, String usage) {
        String value = header(exchange, name);
        if (value == null || value.isEmpty()) {
            throw new RequestRefusedException(400, name + " is missing: " + usage);
        }
        return value;
    }

    private JsonNode body(Exchange exchange, String example) {
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        JsonNode request;
        try {
            request = bytes == null || bytes.length == 0 ? null : json.readTree(bytes);
        } catch (IOException e) {
            throw new RequestRefusedException(400, "the body is not JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + "); send " + example);
        }
        if (request == null || !request.isObject()) {
            throw new RequestRefusedException(400, "the body must be a JSON object such as " + example);
        }
        return request;
    }
}
