package io.gamewire.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.UrlEncoded;
import io.gamewire.ingest.BusSteps;
import io.gamewire.ingest.EventAdmission;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.PayloadSchema;
import io.gamewire.titles.model.PayloadSchema.FieldType;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The HTTP API's own steps of a query ({@code GET /v1/query/{routingKey}?field=value...}):
 * {@link #readRequest()} turns the query parameters into a REQUEST (typed by the command's
 * schema), the shared admit and request-and-await-reply steps ({@link BusSteps}) send it over the
 * bus, and {@link #answerReply()} answers with the REPLY's payload and status.
 */
public final class HttpQuerySteps {

    private final ObjectMapper json;
    private final TitleRegistry titles;

    public HttpQuerySteps(ObjectMapper json, TitleRegistry titles) {
        this.json = json;
        this.titles = titles;
    }

    /** The query parameters become the REQUEST envelope's JSON payload; the bearer key is kept for admit. */
    public Processor readRequest() {
        return exchange -> {
            Message in = exchange.getMessage();
            String routingKey = in.getHeader("routingKey", String.class);
            RoutingKey key = EventAdmission.routingKey(routingKey);
            PayloadSchema schema = titles.command(key).map(CommandDefinition::schema).orElse(null);
            ObjectNode payload = parameters(in.getHeader(Exchange.HTTP_QUERY, String.class), schema);
            long now = System.currentTimeMillis();
            exchange.setProperty(BusSteps.KEY_SHA256, HttpEventSteps.keySha256(titles.keys(), exchange));
            exchange.setProperty(BusSteps.SOURCE, io.gamewire.bus.EventSource.HTTP);
            in.setBody(new Envelope(FrameType.REQUEST, MessageIds.at(now), null, now, "application/json",
                    routingKey, Map.of(), ByteBuffer.wrap(json.writeValueAsBytes(payload))));
        };
    }

    /** The REPLY's payload with its status (the attribute gw-status, 200 when absent); an error as a problem. */
    public Processor answerReply() {
        return exchange -> {
            Envelope reply = exchange.getMessage().getMandatoryBody(Envelope.class);
            int status = status(reply);
            if (status == 200) {
                Message out = exchange.getMessage();
                out.removeHeaders("*");
                out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                out.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
                out.setBody(reply.payloadBytes());
            } else {
                HttpProblems.answer(exchange, status, errorText(reply));
            }
        };
    }

    private ObjectNode parameters(String query, PayloadSchema schema) {
        ObjectNode payload = json.createObjectNode();
        UrlEncoded.fields(query).forEach((name, values) -> values.forEach(value -> {
            FieldType type = schema == null ? null : schema.fields().get(name);
            try {
                if (type == FieldType.INTEGER) {
                    payload.put(name, Long.parseLong(value));
                } else if (type == FieldType.NUMBER) {
                    payload.put(name, Double.parseDouble(value));
                } else if (type == FieldType.BOOLEAN && (value.equals("true") || value.equals("false"))) {
                    payload.put(name, Boolean.parseBoolean(value));
                } else {
                    payload.put(name, value);
                }
            } catch (NumberFormatException e) {
                throw new RefusedException(Refusal.INVALID_EVENT, "query parameter '" + name + "' must be "
                        + type.yamlName() + ", is '" + value + "'");
            }
        }));
        return payload;
    }

    private static int status(Envelope reply) {
        String status = reply.attributes().get(ReservedAttributes.STATUS);
        try {
            return status == null ? 200 : Integer.parseInt(status);
        } catch (NumberFormatException e) {
            return 500;
        }
    }

    private String errorText(Envelope reply) {
        try {
            return json.readTree(reply.payloadBytes()).path("error").asText("the query was not answered");
        } catch (java.io.IOException e) {
            return "the query was not answered";
        }
    }
}
