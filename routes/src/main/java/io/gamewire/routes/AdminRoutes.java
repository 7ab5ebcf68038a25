package io.gamewire.routes;

import io.gamewire.admin.AdminRequests;
import io.gamewire.admin.DeadLetterQueues;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.routes.HttpApiErrors;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.config.Settings;
import io.gamewire.titles.TitleRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The admin API, on the HTTP port (127.0.0.1 unless {@code gamewire.http.host} says otherwise),
 * every call with {@code Authorization: Bearer <gamewire.admin.token>}; without a token configured
 * it is off (403):
 * <ul>
 *   <li>{@code GET /v1/admin/dlq?queue=title.env.service&limit=50}: the service's dead letters,
 *       oldest first, with reason, attempts and failure times; the queue is left as it was;</li>
 *   <li>{@code POST /v1/admin/dlq/replay} {@code {"queue": "...", "messageIds": [...]}}: those (or
 *       all, without {@code messageIds}) published again to the events exchange and removed from
 *       the dead-letter queue.</li>
 * </ul>
 */
public class AdminRoutes extends RouteBuilder {

    private static final int MAX_LIMIT = 1000;

    @Override
    public void configure() {
        Settings settings = new Settings(getContext().getPropertiesComponent());
        ObjectMapper json = new ObjectMapper();
        String token = settings.string("gamewire.admin.token");
        TitleRegistry titles = getContext().getRegistry().lookupByNameAndType("titleRegistry", TitleRegistry.class);
        DeadLetterQueues queues = new DeadLetterQueues(
                getContext().getRegistry().lookupByNameAndType("connectionFactory", CachingConnectionFactory.class)
                        .getRabbitConnectionFactory(),
                getContext().getRegistry().lookupByNameAndType("envelopePublisher", EnvelopePublisher.class).publisher(),
                settings.string("gamewire.bus.exchange"), settings.integer("gamewire.bus.confirm-timeout-ms"));

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/v1/admin/dlq")
                .get().id("rest-admin-dlq").produces("application/json").to("direct:admin-dlq-list")
                .post("/replay").id("rest-admin-dlq-replay").produces("application/json").to("direct:admin-dlq-replay");

        from("direct:admin-dlq-list").routeId("admin-dlq-list")
                .routeConfigurationId(HttpApiErrors.ID)
                .process(exchange -> {
            AdminRequests.requireAdmin(exchange, token);
            String queue = knownService(titles, exchange.getMessage().getHeader("queue", String.class));
            int limit = limit(exchange.getMessage().getHeader("limit", String.class));
            ArrayNode list = json.valueToTree(queues.list(queue, limit));
            ObjectNode body = json.createObjectNode().put("queue", queue).put("count", list.size());
            body.set("deadLetters", list);
            AdminRequests.answer(exchange, 200, body);
        });

        from("direct:admin-dlq-replay").routeId("admin-dlq-replay")
                .routeConfigurationId(HttpApiErrors.ID)
                .process(exchange -> {
            AdminRequests.requireAdmin(exchange, token);
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
        });
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
