package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.testsupport.TestCertificates;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.AuthKind;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the pull's credentials go besides redirects ({@link PullRedirectTest}): a next page a
 * {@code Link} header names on another origin is fetched without them, as a redirect there is; a
 * cursor never moves the request off the pull's URL; an item's values never move its detail off
 * {@code follow.url}'s host.
 */
class PullCredentialsOriginTest extends PullTestSupport {

    private static final String TOKEN = "s3cr3t-token-value";
    private static final String HEADER_SECRET = "header-secret-value";
    /** Another origin: the same machine on another port, as another company's host would be. */
    private MockWebServer other;

    @BeforeEach
    void productionClientAndAnotherHost() throws Exception {
        runner = newRunner(PullRunner.defaultHttpClient());
        other = new MockWebServer();
        other.start();
        environment.put("API_TOKEN", TOKEN);
        environment.put("API_SECRET", HEADER_SECRET);
    }

    @AfterEach
    void stopOther() {
        other.close();
    }

    private PullBuilder bearerPull(String path) {
        return new PullBuilder(url(path)).auth(new Auth(AuthKind.BEARER, null, "API_TOKEN"))
                .headers(Map.of("X-Api-Secret", "{env:API_SECRET}"));
    }

    private static MockResponse page(String id, String next) {
        MockResponse.Builder page = jsonBuilder("[{\"id\": \"" + id + "\"}]");
        if (next != null) {
            page.addHeader("Link", "<" + next + ">; rel=\"next\"");
        }
        return page.build();
    }

    private RecordedRequest takeOther() throws InterruptedException {
        RecordedRequest request = other.takeRequest(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request reached the other host");
        }
        return request;
    }

    private static void assertNoCredentials(RecordedRequest request) {
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(request.getHeaders().get("X-Api-Secret")).isNull();
        assertThat(request.getUrl().queryParameter("api_key")).isNull();
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("User-Agent")).isEqualTo(PageFetcher.USER_AGENT);
    }

    @Test
    void aLinkToAnotherHostIsFetchedWithoutTheAuthOrTheTitleFilesHeaders() throws Exception {
        server.enqueue(page("a", other.url("/matches?page=2").toString()));
        other.enqueue(page("b", null));

        PullResult result = runner.run(TITLE, bearerPull("/matches").link().build());

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("a", "b");
        RecordedRequest first = take();
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(first.getHeaders().get("X-Api-Secret")).isEqualTo(HEADER_SECRET);
        RecordedRequest elsewhere = takeOther();
        assertThat(elsewhere.getTarget()).isEqualTo("/matches?page=2");
        assertNoCredentials(elsewhere);
    }

    @Test
    void aQueryAuthSecretIsNeitherAddedToNorLeftInALinkToAnotherHost() throws Exception {
        server.enqueue(page("a", other.url("/feed?page=2").toString()));
        other.enqueue(page("b", other.url("/feed?page=3&api_key=" + TOKEN).toString()));
        other.enqueue(page("c", null));
        PullDefinition pull = new PullBuilder(url("/feed")).link()
                .auth(new Auth(AuthKind.QUERY, "api_key", "API_TOKEN")).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(take().getUrl().queryParameter("api_key")).isEqualTo(TOKEN);
        assertThat(takeOther().getTarget()).as("not added").isEqualTo("/feed?page=2");
        assertThat(takeOther().getTarget()).as("taken out where the other host's Link repeats it")
                .isEqualTo("/feed?page=3");
    }

    @Test
    void aLinkBackToThePullsOwnHostCarriesTheCredentialsAgain() throws Exception {
        // they belong to the pull's origin, whoever names the URL there; the other host never sees them
        server.enqueue(page("a", other.url("/matches?page=2").toString()));
        other.enqueue(page("b", url("/matches?page=3")));
        server.enqueue(page("c", null));

        PullResult result = runner.run(TITLE, bearerPull("/matches").link().build());

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("a", "b", "c");
        take();
        assertNoCredentials(takeOther());
        RecordedRequest back = take();
        assertThat(back.getTarget()).isEqualTo("/matches?page=3");
        assertThat(back.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void aResumedRunStartingOnAnotherHostsLinkSendsNoCredentialsThereEither() throws Exception {
        server.enqueue(page("a", other.url("/matches?page=2").toString()));
        other.enqueue(page("b", null));
        PullDefinition pull = bearerPull("/matches").link()
                .limits(1, 3, Duration.ofSeconds(30), 3, Duration.ofMinutes(5)).build();

        PullResult stopped = runner.run(TITLE, pull);
        PullResult resumed = runner.run(TITLE, pull);

        assertThat(stopped.morePages()).isTrue();
        assertThat(resumed.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("a", "b");
        assertNoCredentials(takeOther());
    }

    @Test
    void aLinkFromHttpsToHttpFailsTheRunAfterThePageItCameWith() throws Exception {
        TestCertificates certificate = TestCertificates.make(folder, "localhost");
        try (MockWebServer https = new MockWebServer()) {
            https.useHttps(certificate.serving().getSocketFactory());
            https.start();
            String start = https.url("/matches").toString();
            https.enqueue(page("a", other.url("/matches?page=2").toString()));
            runner = newRunner(HttpClient.newBuilder().sslContext(certificate.trustingIt()).build());

            PullResult result = runner.run(TITLE, new PullBuilder(start).link().build());

            assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: the Link header of " + start
                    + " names " + other.url("/matches?page=2") + " as the next page, from https to http; a pull never"
                    + " follows a Link that gives up TLS");
            assertThat(publisher.ids()).as("the page's items are published, then the run stops").containsExactly("a");
            assertThat(other.getRequestCount()).isZero();
        }
    }

    @Test
    void aCursorThatIsAUrlOnAnotherHostIsOnlyAParameterOfThePullsOwnUrl() throws Exception {
        String elsewhere = other.url("/feed?page=2").toString();
        server.enqueue(json("{\"items\": [{\"id\": 1}], \"next\": \"" + elsewhere + "\"}"));
        server.enqueue(json("{\"items\": [{\"id\": 2}]}"));
        PullDefinition pull = bearerPull("/feed").jsonItems("$.items").cursor("cursor", "$.next").build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        take();
        RecordedRequest second = take();
        assertThat(second.getUrl().encodedPath()).isEqualTo("/feed");
        assertThat(second.getUrl().queryParameter("cursor")).isEqualTo(elsewhere);
        assertThat(other.getRequestCount()).isZero();
    }

    @Test
    void anItemsValuesCannotMoveItsDetailToAnotherHost() throws Exception {
        // the parser keeps item placeholders out of follow.url's scheme and host; what a value holds
        // is encoded as one path segment, so neither '@', '/' nor ':' can name another authority
        String otherAuthority = other.getHostName() + ":" + other.getPort();
        server.enqueue(json("[\"@" + otherAuthority + "\", \"//" + otherAuthority + "/x\", \"" + otherAuthority
                + "\"]"));
        for (int i = 0; i < 3; i++) {
            server.enqueue(json("{\"n\": " + i + "}"));
        }
        PullDefinition pull = bearerPull("/ids").emit("$", "$").follow(url("/matches/") + "{$}", false, 1).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).hasSize(3);
        take();
        for (int i = 0; i < 3; i++) {
            RecordedRequest detail = take();
            assertThat(detail.getUrl().pathSegments()).hasSize(2).first().isEqualTo("matches");
            assertThat(detail.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        }
        assertThat(other.getRequestCount()).isZero();
    }

    @Test
    void aDetailRedirectedToAnotherHostIsFetchedWithoutTheCredentials() throws Exception {
        server.enqueue(json("[\"m1\"]"));
        server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", other.url("/cdn/m1").toString())
                .build());
        other.enqueue(json("{\"n\": 1}"));
        PullDefinition pull = bearerPull("/ids").emit("$", "$").follow(url("/matches/") + "{$}", false, 1).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("m1");
        take();
        assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertNoCredentials(takeOther());
    }
}
