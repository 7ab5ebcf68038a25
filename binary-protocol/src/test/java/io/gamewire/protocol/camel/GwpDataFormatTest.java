package io.gamewire.protocol.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.MessageIds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GwpDataFormatTest {

    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:marshal").marshal().custom("gwp");
                from("direct:unmarshal").unmarshal().custom("gwp");
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void headersAndBodyRoundTripThroughOneFrame() {
        UUID id = MessageIds.next();
        UUID correlation = MessageIds.next();
        Map<String, Object> headers = new HashMap<>();
        headers.put(GwpHeaders.ROUTING_KEY, "halo.prod.players.get");
        headers.put(GwpHeaders.FRAME_TYPE, "REPLY");
        headers.put(GwpHeaders.MESSAGE_ID, id.toString());
        headers.put(GwpHeaders.CORRELATION_ID, correlation);
        headers.put(GwpHeaders.TIMESTAMP, 1_718_000_000_123L);
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        headers.put(GwpHeaders.ATTRIBUTES, Map.of("region", "eu"));

        byte[] frame = template.requestBodyAndHeaders("direct:marshal", "{\"name\":\"ädä\"}", headers, byte[].class);
        Exchange decoded = template.request("direct:unmarshal", e -> e.getMessage().setBody(frame));

        assertThat(decoded.getException()).isNull();
        assertThat(decoded.getMessage().getBody(String.class)).isEqualTo("{\"name\":\"ädä\"}");
        assertThat(decoded.getMessage().getHeaders())
                .containsEntry(GwpHeaders.FRAME_TYPE, "REPLY")
                .containsEntry(GwpHeaders.MESSAGE_ID, id.toString())
                .containsEntry(GwpHeaders.CORRELATION_ID, correlation.toString())
                .containsEntry(GwpHeaders.TIMESTAMP, 1_718_000_000_123L)
                .containsEntry(GwpHeaders.CONTENT_TYPE, "application/json")
                .containsEntry(GwpHeaders.ROUTING_KEY, "halo.prod.players.get")
                .containsEntry(GwpHeaders.ATTRIBUTES, Map.of("region", "eu"));
    }

    @Test
    void marshalDefaultsToAnEventWithANewIdAndReportsTheId() {
        Exchange result = template.request("direct:marshal", e -> {
            e.getMessage().setBody(new byte[] {1, 2, 3});
            e.getMessage().setHeader(GwpHeaders.ROUTING_KEY, "halo.prod.stats.end");
        });

        String id = result.getMessage().getHeader(GwpHeaders.MESSAGE_ID, String.class);
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
        byte[] frame = result.getMessage().getBody(byte[].class);
        assertThat(frame[3]).isEqualTo((byte) 0x02);
        assertThat(Arrays.copyOfRange(frame, frame.length - 3, frame.length)).containsExactly(1, 2, 3);
    }

    @Test
    void marshalWithoutRoutingKeyNamesTheHeader() {
        assertThatThrownBy(() -> template.sendBody("direct:marshal", "{}"))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseInstanceOf(MalformedFrameException.class)
                .rootCause().hasMessageContaining("header CamelGwpRoutingKey is missing");
    }

    @Test
    void unmarshalRefusesTrailingBytesAndGarbage() throws Exception {
        byte[] ack = new EnvelopeCodec().encode(new AckFrame(MessageIds.next()));
        byte[] longer = Arrays.copyOf(ack, ack.length + 2);

        assertThatThrownBy(() -> template.sendBody("direct:unmarshal", longer))
                .rootCause().hasMessageContaining("message body has 2 byte(s) after its GWP frame");
        assertThatThrownBy(() -> template.sendBody("direct:unmarshal", "not a frame".getBytes(StandardCharsets.UTF_8)))
                .rootCause().isInstanceOf(MalformedFrameException.class).hasMessageContaining("not the GWP magic");
    }

    @Test
    void aNonEnvelopeFrameBecomesTheBody() throws Exception {
        AckFrame ack = new AckFrame(MessageIds.next());
        Exchange result = template.request("direct:unmarshal",
                e -> e.getMessage().setBody(ByteBuffer.wrap(new EnvelopeCodec().encode(ack))));

        assertThat(result.getMessage().getBody()).isEqualTo(ack);
        assertThat(result.getMessage().getHeader(GwpHeaders.FRAME_TYPE)).isEqualTo("ACK");
    }
}
