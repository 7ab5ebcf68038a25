package io.gamewire.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.titles.PayloadRedaction;
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
 *
 * <p>A database's refusal may quote the value it refused (H2: {@code Value too long for column
 * "EMAIL …": "'ada@example.org' (200)"}), so the reason of a dead letter that a database exception
 * made, of a command whose schema marks fields {@code redact: true}, is listed with every quoted text
 * as {@code '***'} ({@link #shownReason}).
 */
public final class DeadLetterAdmin {

    private static final int MAX_LIMIT = 1000;

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final DeadLetterQueues queues;
    private final PayloadRedaction redaction;

    public DeadLetterAdmin(ObjectMapper json, TitleRegistry titles, DeadLetterQueues queues) {
        this.json = json;
        this.redaction = new PayloadRedaction(titles);
        this.titles = titles;
        this.queues = queues;
    }

    /** The oldest dead letters of a service, left in their queue. */
    public Processor list() {
        return exchange -> {
            String queue = knownService(titles, exchange.getMessage().getHeader("queue", String.class));
            int limit = limit(exchange.getMessage().getHeader("limit", String.class));
            ArrayNode list = json.valueToTree(queues.list(queue, limit).stream().map(this::shown).toList());
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

    private DeadLetterQueues.DeadLetter shown(DeadLetterQueues.DeadLetter letter) {
        boolean marksFields = letter.routingKey() != null && redaction.redactedFields(letter.routingKey())
                .map(fields -> !fields.isEmpty()).orElse(false);
        if (!marksFields) {
            return letter;
        }
        return new DeadLetterQueues.DeadLetter(letter.messageId(), letter.routingKey(),
                shownReason(letter.reason(), letter.exception()), letter.exception(), letter.attempts(),
                letter.firstFailure(), letter.lastFailure(), letter.bytes());
    }

    /** The reason with quoted text masked when a database exception (JDBC, H2, MySQL, MariaDB) gave it. */
    static String shownReason(String reason, String exception) {
        boolean fromDatabase = exception != null && (exception.startsWith("java.sql.") || exception.startsWith("org.h2.")
                || exception.startsWith("com.mysql.") || exception.startsWith("org.mariadb.")
                || exception.contains("SQL"));
        return reason == null || !fromDatabase ? reason : reason.replaceAll("'[^']*'", "'***'");
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
