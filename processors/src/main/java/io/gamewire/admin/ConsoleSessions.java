package io.gamewire.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's sessions, kept in this instance's memory: a session id is 256 random bits from
 * {@link SecureRandom}, valid until a fixed time after the login ({@code gamewire.console.session-ttl})
 * or until logout. At most {@code gamewire.console.max-sessions} are kept: a login beyond that
 * first forgets the expired ones, then the one that would expire first.
 *
 * <p>The map is keyed by the SHA-256 of the id, not the id: a lookup's timing then says nothing
 * about how close a guessed id is to a real one, and a heap dump holds no usable cookie.
 */
public final class ConsoleSessions {

    /** A new session: its id (the cookie's value) and when it expires. */
    public record Session(String id, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[expiresAt=" + expiresAt + "]";
        }
    }

    private static final int ID_BYTES = 32;

    private final Duration ttl;
    private final int maxSessions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

    public ConsoleSessions(Duration ttl, int maxSessions, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("gamewire.console.session-ttl must be positive, was " + ttl);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("gamewire.console.max-sessions must be at least 1, was " + maxSessions);
        }
        this.ttl = ttl;
        this.maxSessions = maxSessions;
        this.clock = clock;
    }

    /** How long a session lasts after its login. */
    public Duration ttl() {
        return ttl;
    }

    /** Opens a session; the caller has checked the admin token. */
    public synchronized Session open() {
        Instant now = clock.instant();
        if (expiries.size() >= maxSessions) {
            expiries.values().removeIf(expiry -> !now.isBefore(expiry));
        }
        while (expiries.size() >= maxSessions) {
            expiries.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> expiries.remove(oldest.getKey()));
        }
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(ttl);
        expiries.put(key(id), expiresAt);
        return new Session(id, expiresAt);
    }

    /** Whether {@code id} names a session that has not expired; an expired one is forgotten. */
    public boolean valid(String id) {
        if (id == null) {
            return false;
        }
        String key = key(id);
        Instant expiry = expiries.get(key);
        if (expiry == null) {
            return false;
        }
        if (!clock.instant().isBefore(expiry)) {
            expiries.remove(key, expiry);
            return false;
        }
        return true;
    }

    /** Ends the session (logout); nothing happens for an unknown id. */
    public void close(String id) {
        if (id != null) {
            expiries.remove(key(id));
        }
    }

    /** Sessions kept, expired ones not yet forgotten included. */
    public int size() {
        return expiries.size();
    }

    private static String key(String id) {
        return HexFormat.of().formatHex(AdminToken.sha256(id));
    }
}
