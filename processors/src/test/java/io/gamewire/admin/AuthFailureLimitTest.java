package io.gamewire.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.ingest.http.RequestRefusedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link AuthFailureLimit} on a clock the test moves: no sleeping. */
class AuthFailureLimitTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AuthFailureLimit limit = new AuthFailureLimit(10, ClientAddresses.socketOnly(exchange -> null), now::get);

    @Test
    void tenFailuresAMinutePassAndTheEleventhAttemptIsLimitedWhateverItPresents() {
        fail("192.0.2.1", 10);

        AuthFailureLimit.Attempt eleventh = limit.attempt("192.0.2.1");
        assertThat(eleventh.limited()).isTrue();
        assertThat(eleventh.retryAfterSeconds()).as("one failure back every 6 s").isEqualTo(6);
        // the right token would be next: it is not even looked at
        eleventh.succeeded();
        assertThat(limit.attempt("192.0.2.1").limited()).as("a limited attempt gives nothing back").isTrue();
    }

    @Test
    void theAllowanceComesBackEvenlyOverTheMinute() {
        fail("192.0.2.1", 10);

        advance(Duration.ofSeconds(5));
        assertThat(limit.attempt("192.0.2.1").retryAfterSeconds()).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        fail("192.0.2.1", 1);
        assertThat(limit.attempt("192.0.2.1").limited()).isTrue();

        advance(Duration.ofMinutes(1));
        fail("192.0.2.1", 10);
        assertThat(limit.attempt("192.0.2.1").limited()).isTrue();
    }

    @Test
    void successesCostNothing() {
        fail("192.0.2.1", 9);
        for (int i = 0; i < 100; i++) {
            AuthFailureLimit.Attempt attempt = limit.attempt("192.0.2.1");
            assertThat(attempt.limited()).isFalse();
            attempt.succeeded();
        }
        fail("192.0.2.1", 1);

        assertThat(limit.attempt("192.0.2.1").limited()).isTrue();
    }

    @Test
    void attemptsInFlightAtOnceCannotExceedTheAllowance() {
        // twenty guesses that all begin before any is answered: only ten are let through to the comparison
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            if (!limit.attempt("192.0.2.1").limited()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(10);
    }

    @Test
    void otherAddressesAreNotAffected() {
        fail("192.0.2.1", 10);

        assertThat(limit.attempt("192.0.2.1").limited()).isTrue();
        assertThat(limit.attempt("192.0.2.2").limited()).isFalse();
        assertThat(limit.attempt("2001:db8::1").limited()).isFalse();
    }

    @Test
    void anIpv6HostIsCountedByItsSlash64() {
        fail("2001:db8:0:1::1", 5);
        fail("2001:db8:0:1:ffff:ffff:ffff:ffff", 5);

        assertThat(limit.attempt("2001:db8:0:1:1234::9").limited()).isTrue();
        assertThat(limit.attempt("2001:db8:0:2::1").limited()).as("the next /64").isFalse();
        assertThat(AuthFailureLimit.key("2001:DB8:0:1::abcd")).isEqualTo("2001:db8:0:1:0:0:0:0/64");
        assertThat(AuthFailureLimit.key("::ffff:192.0.2.1")).as("IPv4-mapped is IPv4").isEqualTo("192.0.2.1");
        assertThat(AuthFailureLimit.key(null)).isEqualTo("unknown");
    }

    @Test
    void theRefusalIs429WithRetryAfterAndNamesTheSettingNotTheToken() {
        fail("192.0.2.1", 10);

        RequestRefusedException refusal = limit.attempt("192.0.2.1").refusal();

        assertThat(refusal.status()).isEqualTo(429);
        assertThat(refusal.headers()).containsEntry("Retry-After", "6");
        assertThat(refusal.getMessage()).contains("gamewire.admin.auth-failures-per-minute").contains("10")
                .contains("try again in 6 s").doesNotContainIgnoringCase("token");
    }

    @Test
    void bucketsAreForgottenAMinuteAfterTheirLastUseAndNeverMoreThanTheMaximumAreKept() {
        fail("192.0.2.1", 10);
        assertThat(limit.trackedAddresses()).isEqualTo(1);

        advance(Duration.ofSeconds(61));
        assertThat(limit.trackedAddresses()).isZero();
        assertThat(limit.attempt("192.0.2.1").limited()).isFalse();

        for (int i = 0; i < AuthFailureLimit.MAX_ADDRESSES + 500; i++) {
            limit.attempt("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(limit.trackedAddresses()).isLessThanOrEqualTo(AuthFailureLimit.MAX_ADDRESSES);
    }

    @Test
    void zeroTurnsTheLimitOff() {
        AuthFailureLimit off = new AuthFailureLimit(0, ClientAddresses.socketOnly(exchange -> null), now::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(off.attempt("192.0.2.1").limited()).isFalse();
        }
        assertThat(off.trackedAddresses()).isZero();
        assertThatThrownBy(() -> new AuthFailureLimit(-1, ClientAddresses.socketOnly(exchange -> null)))
                .hasMessageContaining("gamewire.admin.auth-failures-per-minute");
    }

    private void fail(String address, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(limit.attempt(address).limited()).as("failure %d of %s", i + 1, address).isFalse();
        }
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
