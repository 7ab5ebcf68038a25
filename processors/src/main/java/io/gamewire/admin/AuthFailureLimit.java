package io.gamewire.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gamewire.ingest.NanoTimeMeter;
import io.gamewire.ingest.http.RequestRefusedException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;

/**
 * How many failed authentications one client address may make: {@code gamewire.admin.auth-failures-per-minute}
 * of them (a wrong admin token, an unknown or expired session), in a Bucket4j token bucket per address
 * that holds that many and refills evenly over a minute. Once an address has used them up, every
 * authentication it attempts (at {@code POST /console/login}, at any admin call, at Jolokia) is
 * refused with 429 and {@code Retry-After}, the right token too, until the bucket has a token again;
 * nothing is said about the token. A call without credentials (401) is no attempt.
 *
 * <p>An attempt takes its token before the credentials are compared, and a success gives it back
 * ({@link Attempt#succeeded()}): so successes cost nothing, and many wrong guesses sent at once can
 * still not be compared more often than the bucket allows, as they could if the token were only
 * taken after a failure.
 *
 * <p>The buckets live in this instance's memory, in a Caffeine cache of at most {@value #MAX_ADDRESSES}
 * addresses; a bucket not used for a minute is full again, so it is forgotten then. IPv6 addresses
 * share a bucket per {@code /64}, the block a single host or site is usually given. The address
 * comes from {@link ClientAddresses}.
 */
public final class AuthFailureLimit {

    /** The setting that sets the limit. */
    public static final String SETTING = "gamewire.admin.auth-failures-per-minute";
    /** Addresses whose buckets are kept at most; the least used go first. */
    public static final int MAX_ADDRESSES = 10_000;

    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final Attempt FREE = new Attempt(null, 0, 0);

    private final int perMinute;
    private final ClientAddresses addresses;
    private final TimeMeter clock;
    private final Cache<String, Bucket> buckets;

    /**
     * @param perMinute {@value #SETTING}; 0 turns the limit off
     * @param addresses where a request comes from
     */
    public AuthFailureLimit(int perMinute, ClientAddresses addresses) {
        this(perMinute, addresses, System::nanoTime);
    }

    /** With a clock of its own (nanoseconds, as {@link System#nanoTime}), for tests. */
    public AuthFailureLimit(int perMinute, ClientAddresses addresses, LongSupplier nanoTime) {
        if (perMinute < 0) {
            throw new IllegalArgumentException(SETTING + " must be at least 0, was " + perMinute);
        }
        this.perMinute = perMinute;
        this.addresses = addresses;
        this.clock = new NanoTimeMeter(nanoTime);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_ADDRESSES)
                // from empty, a bucket is full again after one period: forgetting it then changes nothing
                .expireAfterAccess(PERIOD)
                .ticker(nanoTime::getAsLong)
                // housekeeping on the calling thread, which is cheap here, instead of the common pool
                .executor(Runnable::run)
                .build();
    }

    /** No limit: every attempt may go on. */
    public static AuthFailureLimit off() {
        return new AuthFailureLimit(0, ClientAddresses.socketOnly(exchange -> null));
    }

    /** The limit per minute; 0 when it is off. */
    public int perMinute() {
        return perMinute;
    }

    /** An authentication by the request of {@code exchange}, from its client's address ({@link ClientAddresses}). */
    public Attempt attempt(Exchange exchange) {
        return perMinute == 0 ? FREE : attempt(addresses.of(exchange));
    }

    /**
     * An authentication from {@code address} (an IP address as text, or anything else that names the
     * client): a token taken from its bucket, or, with none left, a limited attempt.
     */
    public Attempt attempt(String address) {
        if (perMinute == 0) {
            return FREE;
        }
        Bucket bucket = buckets.get(key(address), ignored -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, PERIOD))
                .withCustomTimePrecision(clock).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Attempt(bucket, 0, perMinute);
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        return new Attempt(null, seconds, perMinute);
    }

    /** Addresses with a bucket now (housekeeping done first): for tests. */
    long trackedAddresses() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /**
     * The bucket's key: an IPv6 address's {@code /64}, anything else as given. A host is usually
     * given a whole {@code /64}, so counting each address would give it billions of buckets.
     */
    static String key(String address) {
        if (address == null) {
            return "unknown";
        }
        InetAddress parsed = ClientAddresses.literal(address);
        if (parsed instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(parsed.getAddress(), 16);
            Arrays.fill(network, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return parsed == null ? address : parsed.getHostAddress();
    }

    /** One authentication: limited (refuse it), or allowed with a token taken that a success gives back. */
    public static final class Attempt {

        private final Bucket taken;
        private final long retryAfterSeconds;
        private final int perMinute;

        private Attempt(Bucket taken, long retryAfterSeconds, int perMinute) {
            this.taken = taken;
            this.retryAfterSeconds = retryAfterSeconds;
            this.perMinute = perMinute;
        }

        /** Whether the address has no failures left: refuse it without looking at its credentials. */
        public boolean limited() {
            return retryAfterSeconds > 0;
        }

        /** Whole seconds until the address may try again; 0 when not limited. */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        /** The credentials were right: the token taken for this attempt goes back. */
        public void succeeded() {
            if (taken != null) {
                taken.addTokens(1);
            }
        }

        /**
         * The answer to a limited attempt: 429 with {@code Retry-After}, naming the setting, saying
         * nothing about what was presented.
         */
        public RequestRefusedException refusal() {
            return new RequestRefusedException(429, "too many failed authentications from this address (at most "
                    + perMinute + " a minute, " + SETTING + "); try again in " + retryAfterSeconds + " s",
                    Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        }
    }
}
