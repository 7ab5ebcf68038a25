package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.testsupport.TestCertificates;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.AuthKind;
import java.net.http.HttpClient;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redirects, with the HttpClient gamewire runs with ({@link PullRunner#defaultHttpClient()}): within
 * the publisher's origin they keep the pull's credentials; to another origin they are followed
 * without them; a loop, too many, or one from https to http fail the run naming the chain.
 */
class PullRedirectTest extends PullTestSupport {

    private static final String TOKEN = "s3cr3t-token-value";
    /** Another origin: the same machine on another port, as a CDN or a stranger would be. */
    private MockWebServer other;

    @BeforeEach
    void productionClientAndAnotherHost() throws Exception {
        runner = newRunner(PullRunner.defaultHttpClient());
        other = new MockWebServer();
        other.start();
        environment.put("API_TOKEN", TOKEN);
        environment.put("API_SECRET", "header-secret-value");
    }

    @AfterEach
    void stopOther() {
        other.close();
    }

    private static MockResponse redirect(int status, String location) {
        return new MockResponse.Builder().code(status).addHeader("Location", location).build();
    }

    private PullBuilder bearerPull() {
        return new PullBuilder(url("/leaderboard")).auth(new Auth(AuthKind.BEARER, null, "API_TOKEN"))
                .headers(Map.of("X-Api-Secret", "{env:API_SECRET}", "X-Client", "gamewire"));
    }

    @Test
    void aRedirectWithinTheOriginKeepsTheCredentials() throws Exception {
        server.enqueue(redirect(301, "/v2/leaderboard"));
        server.enqueue(json("[{\"id\": \"a\"}]"));

        PullResult result = runner.run(TITLE, bearerPull().build());

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("a");
        take();
        RecordedRequest moved = take();
        assertThat(moved.getUrl().encodedPath()).isEqualTo("/v2/leaderboard");
        assertThat(moved.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(moved.getHeaders().get("X-Api-Secret")).isEqualTo("header-secret-value");
    }

    @Test
    void aRedirectToAnotherHostIsFollowedWithoutTheAuthOrTheTitleFilesHeaders() throws Exception {
        server.enqueue(redirect(302, other.url("/export/leaderboard.json").toString()));
        other.enqueue(json("[{\"id\": \"a\"}]"));

        PullResult result = runner.run(TITLE, bearerPull().build());

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("a");
        assertThat(take().getHeaders().get("Authorization")).as("the publisher's own host gets it")
                .isEqualTo("Bearer " + TOKEN);
        RecordedRequest elsewhere = other.takeRequest();
        assertThat(elsewhere.getHeaders().get("Authorization")).isNull();
        assertThat(elsewhere.getHeaders().get("X-Api-Secret")).isNull();
        assertThat(elsewhere.getHeaders().get("X-Client")).isNull();
        assertThat(elsewhere.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(elsewhere.getHeaders().get("User-Agent")).isEqualTo(PageFetcher.USER_AGENT);
    }

    @Test
    void aQueryAuthSecretTheLocationRepeatsIsTakenOutBeforeAnotherHost() throws Exception {
        server.enqueue(redirect(307, other.url("/export?api_key=" + TOKEN + "&part=1").toString()));
        other.enqueue(json("[{\"id\": \"a\"}]"));
        PullDefinition pull = new PullBuilder(url("/leaderboard")).auth(new Auth(AuthKind.QUERY, "api_key",
                "API_TOKEN")).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(take().getUrl().queryParameter("api_key")).isEqualTo(TOKEN);
        RecordedRequest elsewhere = other.takeRequest();
        assertThat(elsewhere.getUrl().queryParameter("api_key")).isNull();
        assertThat(elsewhere.getUrl().queryParameter("part")).isEqualTo("1");
    }

    @Test
    void onceTheChainLeftTheOriginTheCredentialsDoNotComeBack() throws Exception {
        server.enqueue(redirect(302, other.url("/bounce").toString()));
        other.enqueue(redirect(302, url("/leaderboard/final")));
        server.enqueue(json("[{\"id\": \"a\"}]"));

        PullResult result = runner.run(TITLE, bearerPull().build());

        assertThat(result.failure()).isNull();
        take();
        assertThat(take().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void aRedirectLoopFailsTheRunNamingTheChain() throws Exception {
        server.enqueue(redirect(302, "/b"));
        server.enqueue(redirect(302, "/leaderboard"));

        PullResult result = runner.run(TITLE, bearerPull().build());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: a redirect loop: " + url("/leaderboard")
                + " → " + url("/b") + " → " + url("/leaderboard"));
        assertThat(server.getRequestCount()).as("not retried: a loop stays one").isEqualTo(2);
    }

    @Test
    void moreThanFiveRedirectsFailTheRunNamingTheChain() throws Exception {
        for (int i = 1; i <= 6; i++) {
            server.enqueue(redirect(302, "/hop" + i));
        }

        PullResult result = runner.run(TITLE, bearerPull().build());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: more than 5 redirects: " + url("/leaderboard")
                + " → " + url("/hop1") + " → " + url("/hop2") + " → " + url("/hop3") + " → " + url("/hop4") + " → "
                + url("/hop5") + " → " + url("/hop6"));
        assertThat(server.getRequestCount()).isEqualTo(6);
    }

    @Test
    void aRedirectFromHttpsToHttpIsNotFollowed() throws Exception {
        TestCertificates certificate = TestCertificates.make(folder, "localhost");
        try (MockWebServer https = new MockWebServer()) {
            https.useHttps(certificate.serving().getSocketFactory());
            https.start();
            https.enqueue(redirect(301, other.url("/leaderboard").toString()));
            runner = newRunner(HttpClient.newBuilder().sslContext(certificate.trustingIt()).build());
            String start = https.url("/leaderboard").toString();

            PullResult result = runner.run(TITLE, new PullBuilder(start).build());

            assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: " + start + " redirects to "
                    + other.url("/leaderboard") + ", from https to http; a pull never follows a redirect that gives up"
                    + " TLS");
            assertThat(other.getRequestCount()).isZero();
        }
    }

    @Test
    void anHttpClientThatFollowsRedirectsItselfIsRefused() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        assertThatThrownBy(() -> newRunner(following)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("follows redirects (NORMAL); it must not");
    }
}
