package io.gamewire.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.ingest.http.BearerAuthorization;
import io.gamewire.ingest.http.RequestRefusedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;

/** What every admin endpoint does first (check the bearer token) and last (answer JSON). */
public final class AdminRequests {

    private AdminRequests() {
    }

    /** Refuses the call unless it presents {@code gamewire.admin.token}; 403 when none is configured. */
    public static void requireAdmin(Exchange exchange, String token) {
        if (token == null || token.isEmpty()) {
            throw new RequestRefusedException(403, "the admin API is off: set gamewire.admin.token"
                    + " (environment variable GAMEWIRE_ADMIN_TOKEN)");
        }
        String presented = BearerAuthorization.presentedKey(exchange);
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw new RequestRefusedException(401, "the admin API needs Authorization: Bearer <gamewire.admin.token>");
        }
    }

    /**
     * Refuses with 503 and {@code Retry-After} while the title files are first loaded: a 404 for a
     * service or pull that is only not loaded yet would send the caller away for good.
     */
    public static void requireTitlesLoaded(io.gamewire.titles.TitleRegistry titles) {
        if (!titles.loaded()) {
            throw new RequestRefusedException(503, "gamewire is starting: the title files of " + titles.dir()
                    + " are still being loaded; try again in a moment", java.util.Map.of("Retry-After", "1"));
        }
    }

    public static void answer(Exchange exchange, int status, ObjectNode body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }
}
