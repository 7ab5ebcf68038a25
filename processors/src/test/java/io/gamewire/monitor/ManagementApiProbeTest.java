package io.gamewire.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management API client against a small server answering RabbitMQ's documented shape of
 * {@code GET /api/queues/{vhost}?columns=…}; QueueStatsIT asks a real RabbitMQ with the plugin.
 */
class ManagementApiProbeTest {

    private HttpServer server;
    private final AtomicReference<String> asked = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String body = """
            [{"name":"halo.prod.stats","messages_ready":12,"messages_unacknowledged":3,"consumers":2},
             {"name":"halo.prod.stats.dlq","messages_ready":1,"messages_unacknowledged":0,"consumers":0},
             {"name":"someone.elses.queue","messages_ready":99,"messages_unacknowledged":9,"consumers":9},
             {"name":"halo.prod.fresh"}]""";

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/queues/", exchange -> {
            asked.set(exchange.getRequestURI().getRawPath() + "?" + exchange.getRequestURI().getRawQuery());
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ManagementApiProbe probe() {
        return new ManagementApiProbe(new ObjectMapper(), "http://127.0.0.1:" + server.getAddress().getPort() + "/",
                "/", "ops", "s3cret", null);
    }

    @Test
    void readsReadyUnackedAndConsumersOfTheQueuesAskedForInTheVirtualHost() throws IOException {
        Map<String, QueueFigures> figures = probe().read(List.of("halo.prod.stats", "halo.prod.stats.dlq",
                "halo.prod.fresh", "halo.prod.missing"));

        assertThat(asked.get()).isEqualTo("/api/queues/%2F?columns=name,messages_ready,messages_unacknowledged,consumers");
        assertThat(authorization.get()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(figures).containsOnlyKeys("halo.prod.stats", "halo.prod.stats.dlq", "halo.prod.fresh");
        assertThat(figures.get("halo.prod.stats")).isEqualTo(new QueueFigures("halo.prod.stats", 12, 3L, 2));
        assertThat(figures.get("halo.prod.fresh")).isEqualTo(new QueueFigures("halo.prod.fresh", 0, 0L, 0));
        assertThat(probe().source()).isEqualTo("management-api");
    }

    @Test
    void aRefusalNamesTheStatusAndTheSettingsButNotTheBody() {
        status = 401;
        body = "{\"error\":\"not_authorised\",\"reason\":\"Login failed for ops:s3cret\"}";

        assertThatThrownBy(() -> probe().read(List.of("halo.prod.stats")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("answered 401")
                .hasMessageContaining("gamewire.ops.rabbitmq-management.user")
                .hasMessageNotContaining("s3cret");
    }
}
