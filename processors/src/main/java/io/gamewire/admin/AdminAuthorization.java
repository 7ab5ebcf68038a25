package io.gamewire.admin;

import io.gamewire.ingest.http.BearerAuthorization;
import io.gamewire.ingest.http.RequestRefusedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The first step of every admin route, and the only place the admin API is authenticated: the
 * call must present {@code gamewire.admin.token} as its bearer token (401 otherwise); with no
 * token configured the admin API is off (403).
 */
public final class AdminAuthorization implements Processor {

    private final String token;

    /** @param token {@code gamewire.admin.token}; empty or null turns the admin API off */
    public AdminAuthorization(String token) {
        this.token = token;
    }

    @Override
    public void process(Exchange exchange) {
        if (token == null || token.isEmpty()) {
            throw new RequestRefusedException(403, "the admin API is off: set gamewire.admin.token"
                    + " (environment variable GAMEWIRE_ADMIN_TOKEN)");
        }
        String presented = BearerAuthorization.presentedKey(exchange);
        // constant time, so the token cannot be guessed byte by byte from answer times
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw new RequestRefusedException(401, "the admin API needs Authorization: Bearer <gamewire.admin.token>");
        }
    }
}
