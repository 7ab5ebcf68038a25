package io.gamewire.admin;

import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The web console's session cookie {@value #NAME}: reading it from a request's {@code Cookie}
 * header, and the {@code Set-Cookie} values that set and clear it.
 *
 * <p>{@code HttpOnly}, so no script (an injected one included) can read it; {@code SameSite=Strict},
 * so the browser sends it on no request another site starts; {@code Path=/}, because the console's
 * page calls {@code /v1/admin/*} with it; {@code Secure} when the login came over TLS or
 * {@code gamewire.console.secure-cookie} says a TLS proxy is in front.
 */
public final class ConsoleCookie {

    /** The cookie's name. */
    public static final String NAME = "gamewire_console";

    private ConsoleCookie() {
    }

    /** The session id the request presents, or null. */
    public static String sessionId(Exchange exchange) {
        Object header = exchange.getMessage().getHeader("Cookie");
        if (header instanceof List<?> headers) {
            for (Object one : headers) {
                String id = sessionId(String.valueOf(one));
                if (id != null) {
                    return id;
                }
            }
            return null;
        }
        return header == null ? null : sessionId(header.toString());
    }

    static String sessionId(String cookieHeader) {
        for (String pair : cookieHeader.split(";")) {
            String trimmed = pair.trim();
            if (trimmed.startsWith(NAME + "=")) {
                String value = trimmed.substring(NAME.length() + 1).trim();
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** {@code Set-Cookie} for a new session. */
    public static String set(String sessionId, Duration maxAge, boolean secure) {
        return NAME + "=" + sessionId + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** {@code Set-Cookie} that makes the browser drop the cookie (logout). */
    public static String clear(boolean secure) {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Whether the request came over TLS (platform-http gives the absolute URL the client asked for). */
    public static boolean overTls(Exchange exchange) {
        String url = exchange.getMessage().getHeader(Exchange.HTTP_URL, String.class);
        return url != null && url.regionMatches(true, 0, "https:", 0, 6);
    }
}
