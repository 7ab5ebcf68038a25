package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.titles.model.PullDefinition.Paging;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The small pieces: watermark order, Retry-After, back-off bounds, Link headers, URL building, resume points. */
class PullPartsTest {

    @Test
    void timestampsCompareAsInstantsAndNumbersAsNumbers() {
        assertThat(Watermarks.max(WatermarkKind.TIMESTAMP, "2026-01-01T10:00:00Z", "2026-01-01T11:30:00+02:00"))
                .isEqualTo("2026-01-01T10:00:00Z");
        assertThat(Watermarks.max(WatermarkKind.TIMESTAMP, "2026-01-01T10:00:00.5Z", "2026-01-01T10:00:00Z"))
                .isEqualTo("2026-01-01T10:00:00.5Z");
        assertThat(Watermarks.max(WatermarkKind.TIMESTAMP, "1700000009", "1700000010")).isEqualTo("1700000010");
        assertThat(Watermarks.max(WatermarkKind.ID, "9", "10")).isEqualTo("10");
        assertThat(Watermarks.max(WatermarkKind.ID, "abc", "abd")).isEqualTo("abd");
        assertThat(Watermarks.max(WatermarkKind.ID, null, "1")).isEqualTo("1");
        assertThat(Watermarks.max(WatermarkKind.TIMESTAMP, "2026-01-02", "2026-01-01T23:00:00Z"))
                .isEqualTo("2026-01-02");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(RetryDelays.retryAfter("2", now)).contains(Duration.ofSeconds(2));
        assertThat(RetryDelays.retryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now)).contains(Duration.ofMinutes(1));
        assertThat(RetryDelays.retryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryDelays.retryAfter("soon", now)).isEmpty();
        assertThat(RetryDelays.retryAfter(null, now)).isEmpty();
    }

    @Test
    void backOffStaysWithinItsDoublingCeilingAndTheCap() {
        RetryDelays delays = new RetryDelays(java.time.Clock.systemUTC(), new SplittableRandom(1));
        for (int i = 0; i < 200; i++) {
            assertThat(delays.jittered(1, Duration.ofSeconds(30))).isBetween(Duration.ZERO, Duration.ofMillis(500));
            assertThat(delays.jittered(4, Duration.ofSeconds(30))).isBetween(Duration.ZERO, Duration.ofMillis(4000));
            assertThat(delays.jittered(40, Duration.ofSeconds(3))).isBetween(Duration.ZERO, Duration.ofSeconds(3));
        }
    }

    @Test
    void linkHeadersYieldTheNextTarget() {
        URI base = URI.create("https://api.example.com/v1/matches?page=1");
        assertThat(LinkHeader.next(List.of("<https://api.example.com/v1/matches?page=2>; rel=\"next\", "
                + "<https://api.example.com/v1/matches?page=5>; rel=\"last\""), base))
                .isEqualTo(URI.create("https://api.example.com/v1/matches?page=2"));
        assertThat(LinkHeader.next(List.of("</v1/matches?cursor=x>; rel=next"), base))
                .isEqualTo(URI.create("https://api.example.com/v1/matches?cursor=x"));
        assertThat(LinkHeader.next(List.of("<a>; rel=\"prev\"", "<b>; rel=\"next last\""), base))
                .isEqualTo(URI.create("https://api.example.com/v1/b"));
        assertThat(LinkHeader.next(List.of("<a>; rel=\"prev\""), base)).isNull();
        assertThat(LinkHeader.next(List.of(), base)).isNull();
    }

    @Test
    void parametersAreAppendedUrlEncoded() {
        assertThat(PullRequests.append("https://x/a", Map.of("since", "2026-01-01T00:00:00+02:00")))
                .isEqualTo("https://x/a?since=2026-01-01T00%3A00%3A00%2B02%3A00");
        assertThat(PullRequests.append("https://x/a?b=1#top", Map.of("q", "a b&c")))
                .isEqualTo("https://x/a?b=1&q=a%20b%26c#top");
        assertThat(PullRequests.append("https://x/a?", Map.of("p", "2"))).isEqualTo("https://x/a?p=2");
    }

    @Test
    void aPagersPositionResumesAnotherPagerOfTheSameTypeOnly() {
        Paging offsets = new Paging(PagingKind.OFFSET, "offset", null, "limit", 50, 0);
        Pager first = new Pager(offsets);
        first.advance(50, null, null);
        Pager resumed = new Pager(offsets);
        resumed.resumeAt(first.position());

        assertThat(first.position()).isEqualTo("offset:50");
        assertThat(resumed.params()).containsEntry("offset", "50");
        assertThatThrownBy(() -> new Pager(offsets).resumeAt("offset:many"))
                .hasMessage("the stored resume point 'offset:many' holds no offset number");
        assertThatThrownBy(() -> new Pager(offsets).resumeAt("cursor:abc"))
                .hasMessage("the stored resume point 'cursor:abc' is not one of paging by offset");
        assertThatThrownBy(() -> new Pager(Paging.NONE).resumeAt("none:"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
