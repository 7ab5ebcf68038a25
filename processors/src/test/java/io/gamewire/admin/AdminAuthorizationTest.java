package io.gamewire.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gamewire.ingest.http.RequestRefusedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AdminAuthorizationTest {

    private static final String TOKEN = "s3cret-admin-token";
    /** The test's stand-in for platform-http's peer address header. */
    private static final String PEER = "test-peer";

    private final ConsoleSessions sessions = new ConsoleSessions(Duration.ofHours(1), 10, Clock.systemUTC());
    private final AdminAuthorization authorization = new AdminAuthorization(new AdminToken(TOKEN), sessions);

    @Test
    void theAdminTokenAsBearerOrBasicPasswordIsLetThrough() {
        assertThat(refusal(authorization, request("GET").header("Authorization", "Bearer " + TOKEN))).isNull();
        String basic = Base64.getEncoder().encodeToString(("hawtio:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(authorization, request("POST").header("Authorization", "Basic " + basic))).isNull();
    }

    @Test
    void noCredentialsAre401() {
        RequestRefusedException refused = refusal(authorization, request("GET"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.getMessage()).contains("Authorization: Bearer").contains("POST /console/login");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3cret-admin-toke", "s3cret-admin-token2", "S3CRET-ADMIN-TOKEN", "x"})
    void aWrongTokenIs403AndTheMessageSaysNothingAboutIt(String wrong) {
        RequestRefusedException refused = refusal(authorization, request("GET").header("Authorization", "Bearer " + wrong));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.getMessage()).isEqualTo("the bearer token is not gamewire.admin.token");
    }

    @Test
    void withoutAConfiguredTokenEverythingIs403EvenTheEmptyToken() {
        AdminAuthorization off = new AdminAuthorization(new AdminToken(""), sessions);

        assertThat(refusal(off, request("GET")).status()).isEqualTo(403);
        assertThat(refusal(off, request("GET").header("Authorization", "Bearer ")).status()).isEqualTo(403);
        assertThat(refusal(off, request("GET").header("Authorization", "Bearer " + TOKEN)).getMessage())
                .contains("the admin API is off");
    }

    @Test
    void aValidSessionCookieIsLetThroughForReadsAndForStateChangesOnlyWithTheConsoleHeader() {
        String cookie = ConsoleCookie.NAME + "=" + sessions.open().id();

        assertThat(refusal(authorization, request("GET").header("Cookie", "other=1; " + cookie))).isNull();
        RequestRefusedException forged = refusal(authorization, request("POST").header("Cookie", cookie));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.getMessage()).contains("X-Gamewire-Console: 1");
        assertThat(refusal(authorization, request("DELETE").header("Cookie", cookie).header("X-Gamewire-Console", "0")))
                .isNotNull();
        assertThat(refusal(authorization, request("POST").header("Cookie", cookie).header("X-Gamewire-Console", "1"))).isNull();
    }

    @Test
    void anUnknownSessionIs403() {
        RequestRefusedException refused = refusal(authorization, request("GET").header("Cookie", ConsoleCookie.NAME + "=forged"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.getMessage()).doesNotContain("forged").contains("log in again");
    }

    @Test
    void tokenOnlyLetsTheTokenThroughButNotASessionCookieWhichIs401() throws Exception {
        String cookie = ConsoleCookie.NAME + "=" + sessions.open().id();
        org.apache.camel.Processor tokenOnly = authorization.tokenOnly();

        RequestRefusedException refused = catchThrowableOfType(RequestRefusedException.class,
                () -> tokenOnly.process(request("GET").header("Cookie", cookie).exchange));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.getMessage()).contains("Authorization: Bearer").contains("a console session is not enough");
        tokenOnly.process(request("GET").header("Authorization", "Bearer " + TOKEN).exchange);
        String basic = Base64.getEncoder().encodeToString(("hawtio:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        tokenOnly.process(request("POST").header("Authorization", "Basic " + basic).exchange);
        assertThat(catchThrowableOfType(RequestRefusedException.class,
                () -> tokenOnly.process(request("GET").header("Authorization", "Bearer wrong").exchange)).status())
                .isEqualTo(403);
    }

    @Test
    void tokenOnlyAsksForBasicWithoutCredentialsSoThatHawtioOrABrowserPrompts() {
        RequestRefusedException refused = catchThrowableOfType(RequestRefusedException.class,
                () -> authorization.tokenOnly().process(request("GET").exchange));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"gamewire\"");
        assertThat(refusal(authorization, request("GET")).headers()).as("the rest of the admin API: Bearer, from the error route")
                .doesNotContainKey("WWW-Authenticate");
    }

    @Test
    void wrongTokensFromOneAddressAreLimitedAndThenEvenTheTokenIs429ButAValidSessionGoesOn() {
        AdminAuthorization limited = limited(3);
        String basicWrong = Base64.getEncoder().encodeToString("hawtio:wrong".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) { // pages polling with a session that ended: 403, and no failure counted
            assertThat(refusal(limited, request("GET", "192.0.2.1").header("Cookie", ConsoleCookie.NAME + "=ended")).status())
                    .isEqualTo(403);
        }
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer wrong")).status()).isEqualTo(403);
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Basic " + basicWrong)).status()).isEqualTo(403);
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer wrong")).status()).isEqualTo(403);

        RequestRefusedException withTheToken = refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer " + TOKEN));
        assertThat(withTheToken.status()).isEqualTo(429);
        assertThat(withTheToken.headers()).containsKey("Retry-After");
        assertThat(withTheToken.getMessage()).contains("gamewire.admin.auth-failures-per-minute");
        String session = ConsoleCookie.NAME + "=" + sessions.open().id();
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Cookie", session)))
                .as("a session proves an earlier login: not limited").isNull();
        assertThat(catchThrowableOfType(RequestRefusedException.class, () -> limited.tokenOnly().process(
                request("GET", "192.0.2.1").header("Authorization", "Bearer " + TOKEN).exchange)).status()).isEqualTo(429);

        assertThat(refusal(limited, request("GET", "192.0.2.2").header("Authorization", "Bearer " + TOKEN)))
                .as("another address").isNull();
    }

    @Test
    void successesAndCallsWithoutCredentialsAreNoFailures() {
        AdminAuthorization limited = limited(2);
        String session = ConsoleCookie.NAME + "=" + sessions.open().id();
        for (int i = 0; i < 20; i++) {
            assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer " + TOKEN))).isNull();
            assertThat(refusal(limited, request("GET", "192.0.2.1").header("Cookie", session))).isNull();
            // the right session without the console's header: refused, but no failed authentication
            assertThat(refusal(limited, request("POST", "192.0.2.1").header("Cookie", session)).status()).isEqualTo(403);
            assertThat(refusal(limited, request("GET", "192.0.2.1")).status()).isEqualTo(401);
        }
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer wrong")).status()).isEqualTo(403);
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer wrong")).status()).isEqualTo(403);
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer wrong")).status()).isEqualTo(429);
        assertThat(refusal(limited, request("GET", "192.0.2.1")).status()).as("still no attempt").isEqualTo(401);
    }

    @Test
    void theConsolePageSendsABrowserWithoutASessionToTheLoginPageAndLetsAValidOneInFromALimitedAddress() throws Exception {
        AdminAuthorization limited = limited(1);
        org.apache.camel.Processor gate = ConsoleLogin.sessionOrLoginPage(limited);
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer wrong")).status()).isEqualTo(403);
        assertThat(refusal(limited, request("GET", "192.0.2.1").header("Authorization", "Bearer " + TOKEN)).status())
                .as("the address is limited").isEqualTo(429);

        Request ended = request("GET", "192.0.2.1").header("Cookie", ConsoleCookie.NAME + "=ended");
        gate.process(ended.exchange);
        assertThat(ended.exchange.getMessage().getHeader("Location")).isEqualTo("/console/login");
        assertThat(ended.exchange.isRouteStop()).isTrue();

        Request valid = request("GET", "192.0.2.1").header("Cookie", ConsoleCookie.NAME + "=" + sessions.open().id());
        gate.process(valid.exchange);
        assertThat(valid.exchange.isRouteStop()).isFalse();
    }

    /** Authorization with a limit of {@code perMinute} failures, by the test's peer header. */
    private AdminAuthorization limited(int perMinute) {
        return new AdminAuthorization(new AdminToken(TOKEN), sessions, new AuthFailureLimit(perMinute,
                ClientAddresses.socketOnly(exchange -> exchange.getMessage().getHeader(PEER, String.class))));
    }

    private static RequestRefusedException refusal(AdminAuthorization authorization, Request request) {
        return catchThrowableOfType(RequestRefusedException.class, () -> authorization.process(request.exchange));
    }

    private static Request request(String method, String peer) {
        return request(method).header(PEER, peer);
    }

    private static Request request(String method) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, method);
        return new Request(exchange);
    }

    private record Request(Exchange exchange) {
        Request header(String name, String value) {
            exchange.getMessage().setHeader(name, value);
            return this;
        }
    }
}
