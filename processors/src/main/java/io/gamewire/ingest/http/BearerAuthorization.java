package io.gamewire.ingest.http;

import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import org.apache.camel.Exchange;

/**
 * The HTTP side of API keys: the key comes as {@code Authorization: Bearer <key>} and is checked
 * with the titles' {@link ApiKeyRing}: 401 for a missing or unknown key, 403 for a key that may not
 * do this on this title and environment. The key itself never appears in an answer or a log.
 */
public final class BearerAuthorization {

    private BearerAuthorization() {
    }

    /** The exchange property that holds the request's {@code Authorization} once it is taken off the message. */
    static final String CREDENTIALS = "gamewire.credentials";

    /**
     * The request's {@code Authorization} header, or null, taken off the message at the first read
     * and kept in the exchange property {@value #CREDENTIALS}: no later dump of the message's
     * headers (Camel's own, of the exchanges a forced stop interrupts) and no answer written from
     * them (platform-http's, for an exchange that fails outside gamewire's routes) carries the key.
     * Both were seen in the fault suite's disk-full scenario.
     */
    public static String authorization(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        if (header != null) {
            exchange.setProperty(CREDENTIALS, header);
            exchange.getMessage().removeHeader("Authorization");
            return header;
        }
        return exchange.getProperty(CREDENTIALS, String.class);
    }

    /** The presented key, or null. */
    public static String presentedKey(Exchange exchange) {
        return presentedKey(authorization(exchange));
    }

    /** The key of an {@code Authorization: Bearer <key>} header, or null for none or another scheme. */
    public static String presentedKey(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = header.substring(7).trim();
        return key.isEmpty() ? null : key;
    }

    /** Refuses with 401 unless a key of some title was presented. */
    public static void requireKnownKey(ApiKeyRing keys, String presentedKey, RoutingKey anyKeyOfTheRequest) {
        ApiKeyRing.Decision decision = keys.authorize(presentedKey, anyKeyOfTheRequest, Access.QUERY);
        if (decision.outcome() == ApiKeyRing.Outcome.UNKNOWN_KEY) {
            throw new RequestRefusedException(401, decision.reason() + "; send Authorization: Bearer <API key of the title>");
        }
    }

    /** Refuses with 401 or 403 unless the key may do {@code access} on {@code key}. */
    public static ApiKeyRing.Decision require(ApiKeyRing keys, String presentedKey, RoutingKey key, Access access) {
        ApiKeyRing.Decision decision = keys.authorize(presentedKey, key, access);
        switch (decision.outcome()) {
            case UNKNOWN_KEY -> throw new RequestRefusedException(401,
                    decision.reason() + "; send Authorization: Bearer <API key of the title>");
            case FORBIDDEN -> throw new RequestRefusedException(403, decision.reason());
            default -> {
                return decision;
            }
        }
    }
}
