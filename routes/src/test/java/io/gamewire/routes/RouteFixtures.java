package io.gamewire.routes;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.MessageIds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;

/**
 * What the route-level tests share: stub steps, routes from templates, GWP frames.
 *
 * <p>The routes name their steps by registry bean ({@code .process("admit")}), so a test binds a
 * stub under each name: it notes the step in the exchange's {@linkplain #trail trail} and hands the
 * exchange to the mock endpoint {@code mock:<step>}, where the test gives it behaviour
 * ({@code whenAnyExchangeReceived}: answer, throw) and checks what reached it.
 */
final class RouteFixtures {

    /** Exchange property: the names of the stub steps the exchange went through, in order. */
    private static final String TRAIL = "gamewireTestTrail";

    private RouteFixtures() {
    }

    /** Binds a stub for each step, before the routes start; for {@code MainConfigurationProperties.addConfiguration}. */
    static CamelConfiguration stubSteps(String... steps) {
        return new CamelConfiguration() {
            @Override
            public void configure(CamelContext camel) {
                for (String step : steps) {
                    camel.getRegistry().bind(step, Processor.class, stub(step));
                }
            }
        };
    }

    private static Processor stub(String step) {
        return exchange -> {
            trail(exchange).add(step);
            // a mock endpoint sets what its processor throws on the exchange, as a failed step would
            exchange.getContext().getEndpoint("mock:" + step, MockEndpoint.class).handle(exchange);
        };
    }

    /** The stub steps the exchange went through, in order. */
    @SuppressWarnings("unchecked")
    static List<String> trail(Exchange exchange) {
        List<String> trail = exchange.getProperty(TRAIL, List.class);
        if (trail == null) {
            trail = new ArrayList<>();
            exchange.setProperty(TRAIL, trail);
        }
        return trail;
    }

    /**
     * A route from a route template, made as {@code TitleDeployer} and {@code PullDeployer} make
     * theirs: the given route id, node ids {@code <route id>.<step>}. Added after the template's
     * builder, before the context starts, so it can be advised.
     */
    static RouteBuilder fromTemplate(String template, String routeId, Map<String, Object> parameters) {
        return new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(getContext(), template)
                        .routeId(routeId).prefixId(routeId + ".");
                parameters.forEach(builder::parameter);
                builder.add();
            }
        };
    }

    /** An EVENT or REQUEST with a JSON payload and a fresh message id. */
    static Envelope envelope(FrameType type, String routingKey, String json) {
        return new Envelope(type, MessageIds.next(), null, 1_700_000_000_000L, "application/json", routingKey, Map.of(),
                ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A REPLY to {@code request}. */
    static Envelope reply(UUID request, String routingKey, String json) {
        return new Envelope(FrameType.REPLY, MessageIds.next(), request, 1_700_000_000_000L, "application/json",
                routingKey, Map.of(), ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The frame's bytes, as they come off the bus. */
    static byte[] encode(Envelope envelope) throws MalformedFrameException {
        return new EnvelopeCodec().encode(envelope);
    }

    static Envelope decode(byte[] frame) throws MalformedFrameException {
        return (Envelope) new EnvelopeCodec().decode(ByteBuffer.wrap(frame));
    }

    static String payload(Envelope envelope) {
        return new String(envelope.payloadBytes(), StandardCharsets.UTF_8);
    }
}
