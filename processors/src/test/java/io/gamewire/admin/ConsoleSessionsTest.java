package io.gamewire.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aSessionIdIs256RandomBitsAndValidUntilItsFixedExpiry() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofHours(8), 10, clock);

        ConsoleSessions.Session session = sessions.open();

        assertThat(Base64.getUrlDecoder().decode(session.id())).hasSize(32);
        assertThat(session.expiresAt()).isEqualTo(Instant.parse("2026-01-01T08:00:00Z"));
        assertThat(sessions.open().id()).isNotEqualTo(session.id());
        clock.now = Instant.parse("2026-01-01T07:59:59Z");
        assertThat(sessions.valid(session.id())).isTrue();
        clock.now = Instant.parse("2026-01-01T08:00:00Z");
        assertThat(sessions.valid(session.id())).isFalse();
        assertThat(sessions.size()).as("the expired one is forgotten").isEqualTo(1);
    }

    @Test
    void unknownAndClosedSessionsAreNotValid() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofHours(8), 10, clock);
        ConsoleSessions.Session session = sessions.open();

        assertThat(sessions.valid(null)).isFalse();
        assertThat(sessions.valid(session.id() + "x")).isFalse();
        sessions.close(session.id());
        assertThat(sessions.valid(session.id())).isFalse();
    }

    @Test
    void beyondTheLimitTheExpiredGoFirstThenTheOneExpiringSoonest() {
        ConsoleSessions sessions = new ConsoleSessions(Duration.ofHours(1), 2, clock);
        ConsoleSessions.Session first = sessions.open();
        clock.now = clock.now.plusSeconds(60);
        ConsoleSessions.Session second = sessions.open();
        clock.now = clock.now.plusSeconds(60);

        ConsoleSessions.Session third = sessions.open();

        assertThat(sessions.size()).isEqualTo(2);
        assertThat(sessions.valid(first.id())).isFalse();
        assertThat(sessions.valid(second.id())).isTrue();
        assertThat(sessions.valid(third.id())).isTrue();
    }

    @Test
    void aSessionDoesNotShowItsIdWhenPrinted() {
        ConsoleSessions.Session session = new ConsoleSessions(Duration.ofHours(1), 2, clock).open();

        assertThat(session.toString()).doesNotContain(session.id());
    }

    @Test
    void theSettingsAreCheckedByName() {
        assertThatThrownBy(() -> new ConsoleSessions(Duration.ZERO, 1, clock)).hasMessageContaining("gamewire.console.session-ttl");
        assertThatThrownBy(() -> new ConsoleSessions(Duration.ofHours(1), 0, clock)).hasMessageContaining("gamewire.console.max-sessions");
    }
}
