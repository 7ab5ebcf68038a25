package io.gamewire.admin;

import io.gamewire.ingest.http.BearerAuthorization;
import io.gamewire.ingest.http.RequestRefusedException;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The first step of every admin route and of the web console's pages, and the only place they
 * are authenticated. A call presents either {@code gamewire.admin.token} as its bearer token (or
 * as the password of {@code Authorization: Basic}, for Hawtio) or the cookie of a console session
 * ({@link ConsoleSessions}, opened by {@code POST /console/login}).
 * <ul>
 *   <li>no token configured: 403, the admin API is off;</li>
 *   <li>neither a bearer token nor a session cookie: 401 (the error route adds
 *       {@code WWW-Authenticate: Bearer}; {@link #tokenOnly()} asks for Basic instead);</li>
 *   <li>credentials from a client address that has used up its failed authentications
 *       ({@link AuthFailureLimit}): 429 with {@code Retry-After}, whatever the credentials;</li>
 *   <li>a bearer token (or Basic password) that is not the admin token, or a session that is unknown
 *       or expired: 403, and one failure of the client's address;</li>
 *   <li>a session cookie on a call that changes state (anything but GET, HEAD, OPTIONS) without
 *       the header {@value #CONSOLE_HEADER}{@code : 1}: 403.</li>
 * </ul>
 * No answer repeats what was presented or says how close it came: the messages only name what to send.
 */
public final class AdminAuthorization implements Processor {

    /**
     * The header a console page adds to its state-changing calls. A cookie travels with any request
     * the browser makes, so a cookie alone cannot tell the console's own {@code fetch} from a form
     * that another page submits to gamewire (cross-site request forgery). {@code SameSite=Strict}
     * already stops that in current browsers; the header is the second lock: a page of another
     * origin can only add a custom header through a CORS preflight, which gamewire never grants,
     * and an HTML form cannot add one at all.
     */
    public static final String CONSOLE_HEADER = "X-Gamewire-Console";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** The challenge of {@link #tokenOnly()}'s 401: Hawtio, and a browser, then ask for a user name and password. */
    public static final String BASIC_CHALLENGE = "Basic realm=\"gamewire\"";

    private final AdminToken token;
    private final ConsoleSessions sessions;
    private final AuthFailureLimit failures;

    /** Without a limit on failed authentications. */
    public AdminAuthorization(AdminToken token, ConsoleSessions sessions) {
        this(token, sessions, AuthFailureLimit.off());
    }

    public AdminAuthorization(AdminToken token, ConsoleSessions sessions, AuthFailureLimit failures) {
        this.token = token;
        this.sessions = sessions;
        this.failures = failures;
    }

    @Override
    public void process(Exchange exchange) {
        RequestRefusedException refusal = refusal(exchange);
        if (refusal != null) {
            throw refusal;
        }
    }

    /**
     * This step for an endpoint that only the admin token may use, as bearer token or as the
     * password of {@code Authorization: Basic}, never a console session's cookie: Jolokia, whose GET
     * protocol can run operations, so a cookie that a page of another site makes the browser send
     * with a link or an image would act as the admin, header rule or not. 401 without the token, with
     * the challenge {@value #BASIC_CHALLENGE}, so that Hawtio or a browser asks for it as a password.
     */
    public Processor tokenOnly() {
        return exchange -> {
            if (BearerAuthorization.presentedKey(exchange) == null && basicPassword(exchange) == null) {
                throw new RequestRefusedException(401, "this endpoint needs Authorization: Bearer <gamewire.admin.token>"
                        + " (or Basic with the token as password); a console session is not enough",
                        java.util.Map.of("WWW-Authenticate", BASIC_CHALLENGE));
            }
            process(exchange);
        };
    }

    /**
     * Why the request is refused, or null when it may go on. A presented token is an attempt of
     * {@link AuthFailureLimit}: refused unseen (429) while the address is limited, a failure when
     * wrong. A session cookie is not: its id is 32 random bytes, so a wrong one guesses nothing,
     * while console pages polling with a session that a restart or its expiry ended would use up
     * their address's allowance and lock the operators behind it out; an unknown session is 403 and
     * a valid one goes on even from a limited address.
     */
    RequestRefusedException refusal(Exchange exchange) {
        if (!token.configured()) {
            return new RequestRefusedException(403, "the admin API is off: set gamewire.admin.token"
                    + " (environment variable GAMEWIRE_ADMIN_TOKEN)");
        }
        String bearer = BearerAuthorization.presentedKey(exchange);
        if (bearer == null) {
            bearer = basicPassword(exchange);
        }
        if (bearer != null) {
            AuthFailureLimit.Attempt attempt = failures.attempt(exchange);
            if (attempt.limited()) {
                return attempt.refusal();
            }
            if (!token.matches(bearer)) {
                return new RequestRefusedException(403, "the bearer token is not gamewire.admin.token");
            }
            attempt.succeeded();
            return null;
        }
        String session = ConsoleCookie.sessionId(exchange);
        if (session == null) {
            return new RequestRefusedException(401, "the admin API needs Authorization: Bearer <gamewire.admin.token>"
                    + " or a console session (POST /console/login)");
        }
        if (!sessions.valid(session)) {
            return new RequestRefusedException(403, "the console session is unknown or has expired:"
                    + " log in again (POST /console/login)");
        }
        if (changesState(exchange) && !"1".equals(exchange.getMessage().getHeader(CONSOLE_HEADER, String.class))) {
            return new RequestRefusedException(403, "a call that changes state with a console session must carry "
                    + CONSOLE_HEADER + ": 1");
        }
        return null;
    }

    /**
     * The password of {@code Authorization: Basic}, whatever the user name: Hawtio and other JMX
     * consoles connect to Jolokia with a user name and password only, so the token may come as the
     * password. Null when the header is not Basic or does not decode.
     */
    static String basicPassword(Exchange exchange) {
        String header = BearerAuthorization.authorization(exchange);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(header.substring(6).trim()),
                    java.nio.charset.StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 || colon == decoded.length() - 1 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean changesState(Exchange exchange) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        return method == null || !SAFE_METHODS.contains(method.toUpperCase(java.util.Locale.ROOT));
    }
}
