package io.gamewire.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.SharedJson;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import java.util.Map;
import java.util.TreeMap;
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
        apply(exchange, of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RequestRefusedException.class), null));
    }

    /** Answers a translator's {@link RefusedException} with the HTTP status of its refusal. */
    public static void refusedByTranslator(Exchange exchange) {
        apply(exchange, of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RefusedException.class),
                exchange.getMessage().getBody() instanceof Envelope event ? event : null));
    }

    /**
     * Answers any other failure: 503 when the broker did not confirm (the outcome is unknown: the
     * client resends with the same message id), 500 otherwise. Logged, since it is ours and not the
     * client's.
     */
    public static void failed(Exchange exchange) {
        apply(exchange, of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class), null));
    }

    /**
     * The answer to {@code failure}: a {@link RequestRefusedException} with its status, message and
     * headers; a translator's {@link RefusedException} with the HTTP status of its refusal (and,
     * for a publish whose outcome is unknown, the message id of {@code event} to resend with, when
     * given); anything else 503 when the broker did not confirm, else 500, logged. A 401 carries
     * {@code WWW-Authenticate: Bearer}, unless the refusal named another challenge.
     */
    public static HttpAnswer of(Throwable failure, Envelope event) {
        // names as HTTP compares them: a refusal's own WWW-Authenticate wins over the Bearer challenge, however written
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        HttpAnswer problem;
        if (failure instanceof RequestRefusedException refused) {
            headers.putAll(refused.headers());
            problem = new HttpAnswer(refused.status(), body(refused.status(), refused.getMessage()), headers);
        } else if (failure instanceof RefusedException refused) {
            int status = refused.refusal().httpStatus();
            if (status >= 500) {
                LOG.warn("Request not served: {}", refused.getMessage());
            }
            ObjectNode body = problem(status, refused.getMessage());
            if (refused.refusal() == Refusal.PUBLISH_FAILED && event != null) {
                // the outcome is unknown: the client resends with this id, even when gamewire made it
                body.put("messageId", event.messageId().toString());
            }
            if (refused.retryAfterSeconds() > 0) {
                headers.put("Retry-After", Long.toString(refused.retryAfterSeconds()));
            }
            problem = new HttpAnswer(status, body.toString(), headers);
        } else if (causedBy(failure, AmqpException.class)) {
            LOG.warn("Event outcome unknown, the broker was unreachable or did not confirm it: {}", failure.toString());
            problem = new HttpAnswer(503, body(503, BusGateway.outcomeUnknown(failure.getMessage())), headers);
        } else {
            LOG.error("Request failed", failure);
            problem = new HttpAnswer(500, body(500, "internal error: " + failure), headers);
        }
        if (problem.status() == 401) {
            headers.putIfAbsent("WWW-Authenticate", "Bearer realm=\"gamewire\"");
        }
        return problem;
    }

    /** Puts {@code answer} (a problem, or any JSON answer) on the exchange's message, dropping the request's headers. */
    public static void apply(Exchange exchange, HttpAnswer answer) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        answer.headers().forEach(out::setHeader);
        out.setBody(answer.body());
    }

    public static void answer(Exchange exchange, int status, String message) {
        apply(exchange, new HttpAnswer(status, body(status, message), Map.of()));
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
