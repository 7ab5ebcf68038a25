package io.gamewire.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.UrlEncoded;
import io.gamewire.ingest.http.RequestRefusedException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * {@code POST /console/login} and {@code POST /console/logout}. The login takes the admin token as
 * the form field {@code token} (the login page's form, which needs no script) or as JSON
 * {@code {"token": "..."}}, checks it in constant time ({@link AdminToken}) and opens a session
 * ({@link ConsoleSessions}) whose id goes into the cookie ({@link ConsoleCookie}).
 *
 * <p>Answers: JSON login {@code 200 {"expiresAt": "..."}}, a wrong token 403, no token 400 naming
 * the field; a form login {@code 303} to {@code /console/} (success) or to
 * {@code /console/login#refused} (the page shows its notice), so a person at a browser stays on
 * pages. The token is never taken from the query string, where logs and browser history keep it.
 *
 * <p>A wrong token is a failure of the client's address ({@link AuthFailureLimit}); once the address
 * has used them up, a login is refused without looking at the token: JSON {@code 429} with
 * {@code Retry-After}, a form {@code 303} to {@code /console/login#limited} (the page's other notice).
 */
public final class ConsoleLogin {

    /** Where a form login goes after success, and where the console sends a browser without a session. */
    public static final String CONSOLE_PAGE = "/console/";
    public static final String LOGIN_PAGE = "/console/login";

    private static final String FORM = "application/x-www-form-urlencoded";

    private final AdminToken token;
    private final ConsoleSessions sessions;
    private final boolean secureCookie;
    private final ObjectMapper json;
    private final AuthFailureLimit failures;

    /**
     * @param secureCookie {@code gamewire.console.secure-cookie}: mark the cookie {@code Secure} even
     *                     when the request came over plain HTTP (TLS ends at a proxy in front)
     * @param failures     the limit on failed logins per client address, shared with {@link AdminAuthorization}
     */
    public ConsoleLogin(AdminToken token, ConsoleSessions sessions, boolean secureCookie, ObjectMapper json,
                        AuthFailureLimit failures) {
        this.token = token;
        this.sessions = sessions;
        this.secureCookie = secureCookie;
        this.json = json;
        this.failures = failures;
    }

    /** The step of {@code POST /console/login}. */
    public Processor login() {
        return exchange -> {
            boolean form = isForm(exchange);
            if (!token.configured()) {
                throw new RequestRefusedException(403, "the console is off: set gamewire.admin.token"
                        + " (environment variable GAMEWIRE_ADMIN_TOKEN)");
            }
            String presented = presentedToken(exchange, form);
            if (presented == null || presented.isEmpty()) {
                throw new RequestRefusedException(400, "POST /console/login needs the admin token in the field 'token'"
                        + " (form field, or JSON {\"token\": ...})");
            }
            AuthFailureLimit.Attempt attempt = failures.attempt(exchange);
            if (attempt.limited()) {
                if (form) {
                    redirect(exchange, LOGIN_PAGE + "#limited");
                    exchange.getMessage().setHeader("Retry-After", Long.toString(attempt.retryAfterSeconds()));
                    return;
                }
                throw attempt.refusal();
            }
            if (!token.matches(presented)) {
                if (form) {
                    redirect(exchange, LOGIN_PAGE + "#refused");
                    return;
                }
                throw new RequestRefusedException(403, "the token is not gamewire.admin.token");
            }
            attempt.succeeded();
            ConsoleSessions.Session session = sessions.open();
            String cookie = ConsoleCookie.set(session.id(), sessions.ttl(), secure(exchange));
            if (form) {
                redirect(exchange, CONSOLE_PAGE);
            } else {
                ObjectNode body = json.createObjectNode();
                body.put("expiresAt", session.expiresAt().toString());
                answer(exchange, 200, "application/json", body.toString());
            }
            exchange.getMessage().setHeader("Set-Cookie", cookie);
        };
    }

    /** The step of {@code POST /console/logout}: ends the session the cookie names, if any, and clears the cookie. */
    public Processor logout() {
        return exchange -> {
            sessions.close(ConsoleCookie.sessionId(exchange));
            if (isForm(exchange)) {
                redirect(exchange, LOGIN_PAGE);
            } else {
                answer(exchange, 204, null, null);
            }
            exchange.getMessage().setHeader("Set-Cookie", ConsoleCookie.clear(secure(exchange)));
        };
    }

    /**
     * The step before the console's page: a browser without a valid session is sent to the login
     * page (303) instead of being shown a 401 in JSON (a session is never limited, so its notice
     * {@code #limited} comes only with a refused login there); the route stops there. The page's other
     * files and every API call answer 401/403/429 as usual ({@link AdminAuthorization}), and the
     * page's script goes to the login page on 401 and 403.
     */
    public static Processor sessionOrLoginPage(AdminAuthorization authorization) {
        return exchange -> {
            RequestRefusedException refusal = authorization.refusal(exchange);
            if (refusal != null) {
                redirect(exchange, refusal.status() == 429 ? LOGIN_PAGE + "#limited" : LOGIN_PAGE);
                exchange.setRouteStop(true);
            }
        };
    }

    private boolean secure(Exchange exchange) {
        return secureCookie || ConsoleCookie.overTls(exchange);
    }

    private String presentedToken(Exchange exchange, boolean form) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (form) {
            // platform-http hands a form over as a map of its fields; a raw body is decoded here
            if (body instanceof Map<?, ?> fields) {
                Object value = fields.get("token");
                return value == null ? null : value.toString();
            }
            return UrlEncoded.first(exchange.getMessage().getBody(String.class), "token");
        }
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the parser's message would quote the body, which may hold the token
            throw new RequestRefusedException(400, "the body of POST /console/login is neither a form nor JSON");
        }
        JsonNode field = node == null ? null : node.get("token");
        return field == null || !field.isTextual() ? null : field.asText();
    }

    private static boolean isForm(Exchange exchange) {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(FORM);
    }

    private static void redirect(Exchange exchange, String location) {
        answer(exchange, 303, null, null);
        exchange.getMessage().setHeader("Location", location);
    }

    private static void answer(Exchange exchange, int status, String contentType, String body) {
        Message out = exchange.getMessage();
        // the request's headers (its Cookie and form fields among them) must not go back out
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader("Cache-Control", "no-store");
        if (contentType != null) {
            out.setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        out.setBody(body);
    }
}
