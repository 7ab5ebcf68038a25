package io.gamewire.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Queue figures from RabbitMQ's management HTTP API ({@code rabbitmq_management} plugin), which
 * also gives the unacknowledged count: one {@code GET /api/queues/<vhost>?columns=…} per poll for
 * the whole virtual host, keeping the queues asked for. RabbitMQ refreshes these figures every
 * few seconds ({@code collect_statistics_interval}, 5 s by default), so they lag that much.
 */
public final class ManagementApiProbe implements QueueProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ObjectMapper json;
    private final URI queuesUri;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /**
     * @param baseUrl     e.g. {@code http://127.0.0.1:15672} ({@code gamewire.ops.rabbitmq-management.url})
     * @param virtualHost the broker's virtual host ({@code gamewire.broker.virtual-host})
     */
    public ManagementApiProbe(ObjectMapper json, String baseUrl, String virtualHost, String user, String password) {
        this.json = json;
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.queuesUri = URI.create(base + "/api/queues/" + URLEncoder.encode(virtualHost, StandardCharsets.UTF_8)
                + "?columns=name,messages_ready,messages_unacknowledged,consumers");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String source() {
        return "management-api";
    }

    @Override
    public Map<String, QueueFigures> read(List<String> queues) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(queuesUri).timeout(TIMEOUT)
                    .header("Authorization", authorization).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + queuesUri, e);
        }
        if (response.statusCode() != 200) {
            // never the body: it may echo what was sent
            throw new IOException("the RabbitMQ management API answered " + response.statusCode() + " to GET "
                    + queuesUri + (response.statusCode() == 401 ? " (check gamewire.ops.rabbitmq-management.user and"
                    + " .password)" : ""));
        }
        JsonNode list = json.readTree(response.body());
        if (list == null || !list.isArray()) {
            throw new IOException("the RabbitMQ management API's answer to GET " + queuesUri + " is not a JSON array");
        }
        Set<String> wanted = new HashSet<>(queues);
        Map<String, QueueFigures> figures = new LinkedHashMap<>();
        for (JsonNode queue : list) {
            String name = queue.path("name").asText();
            if (wanted.contains(name)) {
                // a queue whose statistics were not collected yet has no counts: read as 0
                figures.put(name, new QueueFigures(name, queue.path("messages_ready").asLong(0),
                        queue.path("messages_unacknowledged").asLong(0), queue.path("consumers").asLong(0)));
            }
        }
        return figures;
    }
}
