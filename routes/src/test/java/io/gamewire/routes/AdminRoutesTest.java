package io.gamewire.routes;

import static io.gamewire.routes.RouteFixtures.trail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.gamewire.ingest.http.RequestRefusedException;
import java.util.stream.Stream;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admin API's routes ({@link AdminRoutes}) with {@link HttpApiErrors}, every step stubbed; each
 * route's platform-http consumer (Camel inlined the route into its REST verb, see
 * {@link EventHttpRoutesTest}) is replaced by the {@code direct:} endpoint it is written with.
 */
@CamelMainTest(replaceRouteFromWith = {
        "admin-dlq-list=direct:admin-dlq-list", "admin-dlq-replay=direct:admin-dlq-replay",
        "admin-pulls=direct:admin-pulls", "admin-pull-run=direct:admin-pull-run",
        "admin-pull-run-status=direct:admin-pull-run-status",
        "admin-stats=direct:admin-stats", "admin-queues=direct:admin-queues",
        "admin-titles=direct:admin-titles", "admin-routes=direct:admin-routes", "admin-event=direct:admin-event", "admin-compare=direct:admin-compare", "admin-kv=direct:admin-kv", "admin-cache=direct:admin-cache", "admin-sql=direct:admin-sql", "admin-send=direct:admin-send", "admin-replay=direct:admin-replay",
        "admin-capacity=direct:admin-capacity", "admin-capacity-service=direct:admin-capacity-service",
        "admin-capacity-fit=direct:admin-capacity-fit"})
class AdminRoutesTest {

    @EndpointInject("mock:adminAuthorization")
    MockEndpoint authorization;
    @Produce
    ProducerTemplate admin;

    @Configure
    void routes(MainConfigurationProperties main) {
        main.addConfiguration(RouteFixtures.stubSteps("adminAuthorization", "deadLetterList", "deadLetterReplay",
                "pullList", "pullRunStart", "pullRunStatus",
                "trafficStatsQuery", "queueQuery", "tailOpen",
                "adminTitles", "adminRoutes", "adminEvent", "adminCompare", "adminKv", "adminCache", "adminSql", "adminSend", "adminReplay",
                "capacityList", "capacityService", "capacityFit"));
        main.addRoutesBuilder(new HttpApiErrors());
        main.addRoutesBuilder(new AdminRoutes());
    }

    /** Every admin route, with the step it serves after the authorization. */
    static Stream<Arguments> routesAndTheirStep() {
        return Stream.of(
                arguments("direct:admin-dlq-list", "deadLetterList"),
                arguments("direct:admin-dlq-replay", "deadLetterReplay"),
                arguments("direct:admin-pulls", "pullList"),
                arguments("direct:admin-pull-run", "pullRunStart"),
                arguments("direct:admin-pull-run-status", "pullRunStatus"),
                arguments("direct:admin-stats", "trafficStatsQuery"),
                arguments("direct:admin-queues", "queueQuery"),
                arguments("direct:admin-tail", "tailOpen"),
                arguments("direct:admin-titles", "adminTitles"),
                arguments("direct:admin-routes", "adminRoutes"),
                arguments("direct:admin-event", "adminEvent"),
                arguments("direct:admin-compare", "adminCompare"),
                arguments("direct:admin-kv", "adminKv"),
                arguments("direct:admin-cache", "adminCache"),
                arguments("direct:admin-sql", "adminSql"),
                arguments("direct:admin-send", "adminSend"),
                arguments("direct:admin-replay", "adminReplay"),
                arguments("direct:admin-capacity", "capacityList"),
                arguments("direct:admin-capacity-service", "capacityService"),
                arguments("direct:admin-capacity-fit", "capacityFit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routesAndTheirStep")
    void anAuthorizedCallIsServedAfterTheAuthorization(String route, String step) {
        Exchange done = admin.send(route, exchange -> exchange.getMessage().setBody(null));

        assertThat(done.getException()).isNull();
        assertThat(trail(done)).containsExactly("adminAuthorization", step);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routesAndTheirStep")
    void aCallWithoutTheAdminTokenIsAnswered401AndGoesNoFurther(String route) throws Exception {
        authorization.whenAnyExchangeReceived(exchange -> {
            throw new RequestRefusedException(401, "no admin token");
        });

        Exchange done = admin.send(route, exchange -> exchange.getMessage().setBody(null));

        assertThat(trail(done)).containsExactly("adminAuthorization");
        HttpAnswers.assertProblem(done, 401, "no admin token");
        assertThat(done.getMessage().getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"gamewire\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routesAndTheirStep")
    void aCallWithAWrongTokenIsAnswered403WithoutAChallengeAndGoesNoFurther(String route) throws Exception {
        authorization.whenAnyExchangeReceived(exchange -> {
            throw new RequestRefusedException(403, "wrong admin token");
        });

        Exchange done = admin.send(route, exchange -> exchange.getMessage().setBody(null));

        assertThat(trail(done)).containsExactly("adminAuthorization");
        HttpAnswers.assertProblem(done, 403, "wrong admin token");
        assertThat(done.getMessage().getHeader("WWW-Authenticate")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routesAndTheirStep")
    void aRefusalsOwnChallengeAndRetryAfterReachTheAnswer(String route) throws Exception {
        authorization.whenAnyExchangeReceived(exchange -> {
            throw new RequestRefusedException(401, "token only", java.util.Map.of("WWW-Authenticate", "Basic realm=\"gamewire\""));
        });
        Exchange basic = admin.send(route, exchange -> exchange.getMessage().setBody(null));
        HttpAnswers.assertProblem(basic, 401, "token only");
        assertThat(basic.getMessage().getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"gamewire\"");

        authorization.whenAnyExchangeReceived(exchange -> {
            throw new RequestRefusedException(429, "too many failed authentications", java.util.Map.of("Retry-After", "6"));
        });
        Exchange limited = admin.send(route, exchange -> exchange.getMessage().setBody(null));
        assertThat(trail(limited)).containsExactly("adminAuthorization");
        HttpAnswers.assertProblem(limited, 429, "too many failed authentications");
        assertThat(limited.getMessage().getHeader("Retry-After")).isEqualTo("6");
        assertThat(limited.getMessage().getHeader("WWW-Authenticate")).isNull();
    }
}
