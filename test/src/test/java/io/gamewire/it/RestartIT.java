package io.gamewire.it;

import io.gamewire.deploy.TitleDeployer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An event accepted while nothing consumes its queue survives a restart of gamewire: the queue and
 * the persistent message are in the broker's store (the embedded broker's Derby store under the
 * data folder, or RabbitMQ), and the restarted consumer stores it.
 */
class RestartIT {

    @Test
    void aQueuedEventSurvivesARestart() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            String service = gw.services.get(0);
            gw.start();
            // nothing consumes the queue from now on: stopping the route returns its prefetched messages
            gw.camel().getRouteController().stopRoute(TitleDeployer.routeId(service));

            HttpResponse<String> posted = gw.post("/v1/events/" + service + ".queued", "application/json", "{\"n\":1}");
            assertThat(posted.statusCode()).isEqualTo(202);
            String id = new ObjectMapper().readTree(posted.body()).get("messageId").asText();
            assertThat(gw.get("/v1/events/" + id).statusCode()).isEqualTo(404);
            gw.stopApplication();

            gw.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.get("/v1/events/" + id).statusCode() == 200);
        }
    }
}
