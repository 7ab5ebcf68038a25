package io.gamewire.routes;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.protocol.camel.GwpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gwp data format from a YAML DSL route, as users write them in dsl-yaml/. */
class GwpYamlRouteTest {

    private static final String ROUTE = """
            - route:
                id: gwp-yaml-marshal
                from:
                  uri: direct:yaml-marshal
                  steps:
                    - marshal:
                        custom:
                          ref: gwp
            """;

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aYamlRouteMarshalsAnEnvelope() throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("gwp.camel.yaml", ROUTE));
        camel.start();

        Exchange result = camel.createProducerTemplate().request("direct:yaml-marshal", e -> {
            e.getMessage().setBody("{\"map\":\"Blood Gulch\"}");
            e.getMessage().setHeader(GwpHeaders.ROUTING_KEY, "halo.prod.stats.match_end");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        });

        assertThat(result.getException()).isNull();
        Envelope envelope = (Envelope) new EnvelopeCodec().decode(ByteBuffer.wrap(result.getMessage().getBody(byte[].class)));
        assertThat(envelope.routingKey()).isEqualTo("halo.prod.stats.match_end");
        assertThat(envelope.contentType()).isEqualTo("application/json");
        assertThat(new String(envelope.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"map\":\"Blood Gulch\"}");
    }
}
