package io.gamewire.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.config.SharedJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.ingest.RefusedException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.amqp.AmqpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON error answers: {@code {"status": 400, "error": "Bad Request", "message": "..."}}, where the
 * message names what was wrong (the field, the value, the limit and the setting that changes it).
 */
public final class HttpProblems {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProblems.class);
    private static final ObjectMapper JSON = SharedJson.MAPPER;

    private HttpProblems() {
    }

    /** Answers a {@link RequestRefusedException} with its status and message. */
    public static void refused(Exchange exchange) {
        RequestRefusedException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RequestRefusedException.class);
        answer(exchange, refused.status(), refused.getMessage());
        refused.headers().forEach(exchange.getMessage()::setHeader);
        challenge(exchange, refused.status());
    }

    /** Answers a translator's {@link RefusedException} with the HTTP status of its refusal. */
    public static void refusedByTranslator(Exchange exchange) {
        RefusedException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RefusedException.class);
        int status = refused.refusal().httpStatus();
        if (status >= 500) {
            LOG.warn("Request not served: {}", refused.getMessage());
        }
        answer(exchange, status, refused.getMessage(), unknownOutcomeId(exchange, refused));
        if (refused.retryAfterSeconds() > 0) {
            exchange.getMessage().setHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
        }
        challenge(exchange, status);
    }

    /**
     * The message id of an event whose publish has an unknown outcome, for the 503's body: the
     * client resends with it ({@code Gw-Message-Id}), even when gamewire made it. Null otherwise.
     */
    private static String unknownOutcomeId(Exchange exchange, RefusedException refused) {
        return refused.refusal() == io.gamewire.ingest.Refusal.PUBLISH_FAILED
                && exchange.getMessage().getBody() instanceof io.gamewire.protocol.Envelope event
                ? event.messageId().toString() : null;
    }

    /** {@code WWW-Authenticate: Bearer} on a 401, unless the refusal asked for another challenge (Jolokia's Basic). */
    private static void challenge(Exchange exchange, int status) {
        if (status == 401 && exchange.getMessage().getHeader("WWW-Authenticate") == null) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"gamewire\"");
        }
    }

    /**
     * Answers any other failure: 503 when the broker did not confirm (the outcome is unknown: the
     * client resends with the same message id), 500 otherwise. Logged, since it is ours and not the
     * client's.
     */
    public static void failed(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (causedBy(failure, AmqpException.class)) {
            LOG.warn("Event outcome unknown, the broker was unreachable or did not confirm it: {}", failure.toString());
            answer(exchange, 503, io.gamewire.ingest.BusGateway.outcomeUnknown(failure.getMessage()));
        } else {
            LOG.error("Request failed", failure);
            answer(exchange, 500, "internal error: " + failure);
        }
    }

    public static void answer(Exchange exchange, int status, String message) {
        answer(exchange, status, message, null);
    }

    /** The problem body, with {@code "messageId"} when one is given. */
    private static void answer(Exchange exchange, int status, String message, String messageId) {
        ObjectNode body = problem(status, message);
        if (messageId != null) {
            body.put("messageId", messageId);
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body.toString());
    }

    /** The problem body as JSON text, for answers written outside Camel's routes (on the Vert.x router). */
    public static String body(int status, String message) {
        return problem(status, message).toString();
    }

    private static ObjectNode problem(int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", status);
        body.put("error", reason(status));
        body.put("message", message);
        return body;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Internal Server Error";
        };
    }
}
