package io.gamewire.titles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.model.ApiKeyDefinition;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: the API keys of every title, looked up by the SHA-256 of the key a client
 * presents (keys are never kept in clear). Every translator asks {@link #authorize} before it
 * publishes or queries; a key of one title can never reach another title.
 */
public final class ApiKeyRing {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyRing.class);

    // The HTTP API presents a key with every request, and hashing it (a MessageDigest looked up,
    // a digest, hex) was a tenth of an HTTP worker's samples in a profile of single-event posts
    // (bench/README.md). Bounded and expiring, and only for keys of a title: a guessed key is hashed
    // each time and never held, so neither attackers' strings nor evicted real keys pile up here.
    private static final Cache<String, String> PRESENTED = Caffeine.newBuilder()
            .maximumSize(4_096)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    /** The answer, with what went wrong for the client (never the key itself). */
    public record Decision(Outcome outcome, String title, String keyName, int rateLimitPerSecond, String reason) {
        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    /** ALLOWED; UNKNOWN_KEY (HTTP 401, GWP 101); FORBIDDEN (HTTP 403, GWP 200). */
    public enum Outcome {
        ALLOWED, UNKNOWN_KEY, FORBIDDEN
    }

    private record Entry(String title, ApiKeyDefinition key) {
    }

    private final Map<String, Entry> bySha256;

    private ApiKeyRing(Map<String, Entry> bySha256) {
        this.bySha256 = bySha256;
    }

    /**
     * The keys of {@code titles}; keys given by environment variable are read from {@code env} now
     * (a missing variable disables that key, with a warning naming the variable).
     */
    public static ApiKeyRing of(Iterable<TitleDefinition> titles, Function<String, String> env) {
        Map<String, Entry> keys = new HashMap<>();
        for (TitleDefinition title : titles) {
            for (ApiKeyDefinition key : title.keys()) {
                String sha256 = key.sha256();
                if (sha256 == null) {
                    String secret = env.apply(key.fromEnv());
                    if (secret == null || secret.isEmpty()) {
                        LOG.warn("Key {} of title {} is disabled: environment variable {} is not set", key.name(),
                                title.title(), key.fromEnv());
                        continue;
                    }
                    sha256 = sha256(secret);
                }
                Entry previous = keys.putIfAbsent(sha256, new Entry(title.title(), key));
                if (previous != null) {
                    LOG.warn("Key {} of title {} has the same secret as key {} of title {}; only the latter is used",
                            key.name(), title.title(), previous.key().name(), previous.title());
                }
            }
        }
        return new ApiKeyRing(Map.copyOf(keys));
    }

    /** May {@code presentedKey} do {@code access} on {@code routingKey}? */
    public Decision authorize(String presentedKey, RoutingKey routingKey, Access access) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return new Decision(Outcome.UNKNOWN_KEY, null, null, 0, "no API key given");
        }
        return authorizeHashed(sha256OfPresented(presentedKey), routingKey, access);
    }

    /**
     * As {@link #authorize}, for a key known by its SHA-256: a TCP session hashes its key once, at
     * AUTH, and asks the ring of the moment for every frame, so a key removed from its title file
     * stops working on open connections too.
     */
    public Decision authorizeHashed(String keySha256, RoutingKey routingKey, Access access) {
        Entry entry = bySha256.get(keySha256);
        if (entry == null) {
            return new Decision(Outcome.UNKNOWN_KEY, null, null, 0, "unknown API key");
        }
        ApiKeyDefinition key = entry.key();
        if (!entry.title().equals(routingKey.title())) {
            return forbidden(entry, "key '" + key.name() + "' belongs to title '" + entry.title() + "', not '"
                    + routingKey.title() + "'");
        }
        if (!key.environments().contains(routingKey.env())) {
            return forbidden(entry, "key '" + key.name() + "' may not use environment '" + routingKey.env() + "' (allowed: "
                    + String.join(", ", key.environments().stream().sorted().toList()) + ")");
        }
        if (!key.access().contains(access)) {
            return forbidden(entry, "key '" + key.name() + "' may not " + access.name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Decision(Outcome.ALLOWED, entry.title(), key.name(), key.rateLimitPerSecond(), "allowed");
    }

    /** The title of the key with this SHA-256, if some title has it. */
    public java.util.Optional<String> titleOf(String keySha256) {
        return java.util.Optional.ofNullable(bySha256.get(keySha256)).map(Entry::title);
    }

    private static Decision forbidden(Entry entry, String reason) {
        return new Decision(Outcome.FORBIDDEN, entry.title(), entry.key().name(), 0, reason);
    }

    /** SHA-256 of the key's UTF-8 bytes as lower-case hex, the form title files store. */
    public static String sha256(String key) {
        return TitleFolder.sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * As {@link #sha256}, for a key a client presents with each request: remembered for a while
     * when it is the key of some title (a known key sits in the client's every request anyway).
     */
    public String sha256OfPresented(String key) {
        String cached = PRESENTED.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        String sha256 = sha256(key);
        if (bySha256.containsKey(sha256)) {
            PRESENTED.put(key, sha256);
        }
        return sha256;
    }
}
