package io.gamewire.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.titles.TitleRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Processor;

/**
 * The steps of the admin API's dead letters: {@link #list()} ({@code GET /v1/admin/dlq?queue=&limit=})
 * and {@link #replay()} ({@code POST /v1/admin/dlq/replay}), each after {@link AdminAuthorization}.
 * A service must be one a title file defines (404 otherwise); replay answers 409 while the
 * service's own queue is missing, since a replayed message would have nowhere to go.
 */
public final class DeadLetterAdmin {

    private static final int MAX_LIMIT = 1000;

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final DeadLetterQueues queues;

    public DeadLetterAdmin(ObjectMapper json, TitleRegistry titles, DeadLetterQueues queues) {
        this.json = json;
        this.titles = titles;
        this.queues = queues;
    }

    /** The oldest dead letters of a service, left in their queue. */
    public Processor list() {
        return exchange -> {
            String queue = knownService(titles, exchange.getMessage().getHeader("queue", String.class));
            int limit = limit(exchange.getMessage().getHeader("limit", String.class));
            ArrayNode list = json.valueToTree(queues.list(queue, limit));
            ObjectNode body = json.createObjectNode().put("queue", queue).put("count", list.size());
            body.set("deadLetters", list);
            AdminRequests.answer(exchange, 200, body);
        };
    }

    /** Puts dead letters (all, or those of the given message ids) back on the events exchange. */
    public Processor replay() {
        return exchange -> {
            JsonNode request = json.readTree(exchange.getMessage().getBody(byte[].class));
            String queue = knownService(titles, request.path("queue").asText(null));
            Set<String> ids = new HashSet<>();
            request.path("messageIds").forEach(id -> ids.add(id.asText()));
            List<String> replayed;
            try {
                replayed = queues.replay(queue, ids, limit(request.path("limit").asText(null)));
            } catch (DeadLetterQueues.ServiceQueueMissingException e) {
                throw new RequestRefusedException(409, e.getMessage());
            }
            ObjectNode body = json.createObjectNode().put("queue", queue).put("replayed", replayed.size());
            body.set("messageIds", json.valueToTree(replayed));
            AdminRequests.answer(exchange, 200, body);
        };
    }

    private static String knownService(TitleRegistry titles, String queue) {
        if (queue == null || queue.isEmpty()) {
            throw new RequestRefusedException(400, "name the service: queue=title.env.service");
        }
        AdminRequests.requireTitlesLoaded(titles);
        boolean known = titles.titles().values().stream().anyMatch(title -> title.serviceKeys().contains(queue));
        if (!known) {
            throw new RequestRefusedException(404, "no title file defines the service '" + queue + "'");
        }
        return queue;
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RequestRefusedException(400, "limit must be 1 to " + MAX_LIMIT + ", is '" + text + "'");
    }
}
