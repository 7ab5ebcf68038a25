package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.camel.GwpHeaders;
import java.nio.charset.StandardCharsets;
import io.gamewire.ingest.KeyRateLimits;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

class EventAcceptorTest {

    private static final String TITLE = """
            title: halo
            environments: [prod]
            keys:
              # the key is 'test-key'
              - name: servers
                sha256: 62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef
                environments: [prod]
                rate-limit: 1000
              - name: reader
                sha256: 4c9ab66b8f4c09e0b1d7cdbeeb2b31d4f7d2f78c2b6b8bde7b8d7b9b4dc5f9d2
                environments: [prod]
                access: [query]
            services:
              stats:
                commands:
                  match_end: {}
                  end: {}
                  scored:
                    schema:
                      required: [player, points]
                      fields: {player: string, points: integer}
            """;

    private final CamelContext camel = new DefaultCamelContext();
    private EventAcceptor acceptor;

    @BeforeEach
    void titles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("halo.yaml"), TITLE);
        TitleRegistry registry = new TitleRegistry(dir, new TitleRegistry.Applier() {
            @Override
            public void apply(TitleDefinition previous, TitleDefinition next) {
            }

            @Override
            public void remove(TitleDefinition previous) {
            }
        });
        assertThat(registry.reload().added()).containsExactly("halo");
        acceptor = new EventAcceptor(new ObjectMapper(), registry, new KeyRateLimits(() -> 0L), 64);
    }

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private Exchange request(String routingKey, String contentType, String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("routingKey", routingKey);
        exchange.getMessage().setHeader("User-Agent", "curl/8");
        exchange.getMessage().setHeader("Authorization", "Bearer test-key");
        if (contentType != null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    @Test
    void acceptedEventCarriesOnlyBusHeaders() throws Exception {
        Exchange exchange = request("halo.prod.stats.match_end", "application/json; charset=utf-8", "{\"k\":1}");

        acceptor.process(exchange);

        String id = exchange.getProperty(EventAcceptor.MESSAGE_ID, String.class);
        assertThat(exchange.getMessage().getHeaders())
                .containsEntry(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, "halo.prod.stats.match_end")
                .containsEntry(SpringRabbitMQConstants.MESSAGE_ID, id)
                .containsEntry(SpringRabbitMQConstants.CONTENT_TYPE, "application/x-gwp")
                .containsEntry(GwpHeaders.ROUTING_KEY, "halo.prod.stats.match_end")
                .containsEntry(GwpHeaders.MESSAGE_ID, id)
                .containsEntry(GwpHeaders.CONTENT_TYPE, "application/json")
                .containsKeys(GwpHeaders.TIMESTAMP, GwpHeaders.ATTRIBUTES)
                .doesNotContainKeys("User-Agent", "Authorization", "routingKey", Exchange.CONTENT_TYPE);
        assertThat(exchange.getMessage().getHeader(GwpHeaders.ATTRIBUTES, java.util.Map.class))
                .containsEntry("gw-received-at", exchange.getMessage().getHeader(GwpHeaders.TIMESTAMP).toString());
    }

    @Test
    void aMissingContentTypeIsReadAsJson() throws Exception {
        Exchange exchange = request("halo.prod.stats.end", null, "[1,2]");

        acceptor.process(exchange);

        assertThat(exchange.getProperty(EventAcceptor.MESSAGE_ID)).isNotNull();
    }

    @Test
    void vendorJsonTypesAreAccepted() throws Exception {
        acceptor.process(request("halo.prod.stats.end", "application/vnd.halo+json", "{}"));
    }

    @Test
    void refusalsCarryStatusAndNameTheProblem() {
        assertRefused(request("halo.prod.stats", "application/json", "{}"), 400, "has 3 part(s)");
        assertRefused(request("halo.dev.stats.end", "application/json", "{}"), 403,
                "key 'servers' may not use environment 'dev' (allowed: prod)");
        assertRefused(request("halo.prod.stats.nope", "application/json", "{}"), 404,
                "service 'halo.prod.stats' has no command 'nope' (commands: match_end, end, scored)");
        assertRefused(request("halo.prod.stats.scored", "application/json", "{\"player\":\"ada\"}"), 400,
                "payload lacks required field 'points' (schema of halo.prod.stats.scored)");
        assertRefused(request("halo.prod.stats.scored", "application/json", "{\"player\":\"ada\",\"points\":\"9\"}"),
                400, "payload field 'points' must be integer, is a string");
        assertRefused(request("halo.prod.stats.scored", "application/json", "[1]"), 400,
                "payload must be a JSON object, is an array");
        assertRefused(request("halo.prod.stats.end", "text/csv", "{}"), 415, "content type 'text/csv'");
        assertRefused(request("halo.prod.stats.end", "application/json", ""), 400, "request body is empty");
        assertRefused(request("halo.prod.stats.end", "application/json", "   "), 400, "request body is blank");
        assertRefused(request("halo.prod.stats.end", "application/json", "{\"a\":tru}"), 400, "invalid JSON");
        assertRefused(request("halo.prod.stats.end", "application/json", "{}\n[]"), 400, "at line 2, column 2");
        assertRefused(request("halo.prod.stats.end", "application/json", "[\"" + "x".repeat(70) + "\"]"),
                413, "the limit is 64 (gamewire.http.max-body-bytes)");
    }

    @Test
    void theBearerKeyMustBeKnownAndOfTheTitle() {
        Exchange noKey = request("halo.prod.stats.end", "application/json", "{}");
        noKey.getMessage().removeHeader("Authorization");
        assertRefused(noKey, 401, "no API key given");
        Exchange wrongKey = request("halo.prod.stats.end", "application/json", "{}");
        wrongKey.getMessage().setHeader("Authorization", "Bearer guess");
        assertRefused(wrongKey, 401, "unknown API key");
        Exchange otherTitle = request("kart.prod.laps.end", "application/json", "{}");
        assertRefused(otherTitle, 403, "key 'servers' belongs to title 'halo', not 'kart'");
    }

    @Test
    void overItsRateLimitAKeyIsAnswered429WithRetryAfter() throws Exception {
        for (int i = 0; i < 1000; i++) {
            acceptor.process(request("halo.prod.stats.end", "application/json", "{}"));
        }
        Exchange over = request("halo.prod.stats.end", "application/json", "{}");

        assertThatThrownBy(() -> acceptor.process(over))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.headers()).containsEntry("Retry-After", "1");
                })
                .hasMessage("key 'servers' is over its rate limit of 1000 events/s (title file halo.yaml); retry after 1 s");
    }

    private void assertRefused(Exchange exchange, int status, String messagePart) {
        assertThatThrownBy(() -> acceptor.process(exchange))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(messagePart);
        assertThat(exchange.getMessage().getHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY)).isNull();
    }
}
