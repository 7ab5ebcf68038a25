package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.AdminAuthorization;
import io.gamewire.admin.AdminToken;
import io.gamewire.admin.AuthFailureLimit;
import io.gamewire.admin.ClientAddresses;
import io.gamewire.admin.ConsoleAssets;
import io.gamewire.admin.ConsoleLogin;
import io.gamewire.admin.ConsoleSessions;
import io.gamewire.admin.DeadLetterAdmin;
import io.gamewire.admin.DeadLetterQueues;
import io.gamewire.admin.PullAdmin;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.deploy.PullDeployer;
import io.gamewire.pulls.ManualPullRuns;
import io.gamewire.pulls.PullRunner;
import io.gamewire.titles.TitleRegistry;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The admin API's steps: {@code adminAuthorization} (the admin token or a console session, the
 * first step of every admin route and console page; failed authentications limited per client address,
 * {@link AuthFailureLimit}, shared with the console's login), the web console's steps ({@link #bindConsole}), {@code deadLetterList} and {@code deadLetterReplay}, {@code pullList},
 * {@code pullRunStart} and {@code pullRunStatus};
 * the data endpoints of the consoles are bound by {@link AdminDataConfiguration}.
 */
public class AdminConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) {
        AreaSettings settings = areaSettings(camel);
        Registry registry = camel.getRegistry();
        ObjectMapper json = bean(camel, "json", ObjectMapper.class);
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        AdminToken token = new AdminToken(settings.adminToken());
        ConsoleSessions sessions = new ConsoleSessions(settings.console().sessionTtl(), settings.console().maxSessions(),
                java.time.Clock.systemUTC());
        AuthFailureLimit failures = new AuthFailureLimit(settings.adminAuth().failuresPerMinute(),
                new ClientAddresses(settings.adminAuth().trustedProxies(), AdminConfiguration::peerAddress));
        AdminAuthorization authorization = new AdminAuthorization(token, sessions, failures);
        registry.bind("adminAuthorization", authorization);
        bindConsole(registry, token, sessions, authorization, failures, settings.console().secureCookie(), json);

        DeadLetterAdmin deadLetters = new DeadLetterAdmin(json, titles, new DeadLetterQueues(
                bean(camel, "connectionFactory", CachingConnectionFactory.class).getRabbitConnectionFactory(),
                bean(camel, "envelopePublisher", EnvelopePublisher.class).publisher(),
                settings.bus().exchange(), settings.bus().confirmTimeoutMs()));
        registry.bind("deadLetterList", deadLetters.list());
        registry.bind("deadLetterReplay", deadLetters.replay());

        PullAdmin pulls = new PullAdmin(json, titles, bean(camel, "manualPullRuns", ManualPullRuns.class),
                bean(camel, "pullRunner", PullRunner.class),
                (title, pull) -> camel.getRoute(PullDeployer.routeId(title, pull)) != null);
        registry.bind("pullList", pulls.list());
        registry.bind("pullRunStart", pulls.startRun());
        registry.bind("pullRunStatus", pulls.runStatus());

    }

    /**
     * The web console's steps: {@code consoleLogin}, {@code consoleLogout}, {@code consoleLoginPage},
     * {@code consolePageGate} (a browser without a session goes to the login page),
     * {@code consolePage} and {@code consoleAsset}.
     */
    private static void bindConsole(Registry registry, AdminToken token, ConsoleSessions sessions,
                                    AdminAuthorization authorization, AuthFailureLimit failures, boolean secureCookie,
                                    ObjectMapper json) {
        ConsoleLogin login = new ConsoleLogin(token, sessions, secureCookie, json, failures);
        registry.bind("consoleLogin", login.login());
        registry.bind("consoleLogout", login.logout());
        ConsoleAssets assets = new ConsoleAssets(AdminConfiguration.class.getClassLoader());
        registry.bind("consoleLoginPage", assets.file("login.html"));
        registry.bind("consolePageGate", ConsoleLogin.sessionOrLoginPage(authorization));
        registry.bind("consolePage", assets.file("index.html"));
        registry.bind("consoleAsset", assets.named());
    }

    /**
     * The TCP peer of a request, as platform-http on Vert.x gives it in the header
     * {@value VertxPlatformHttpConstants#REMOTE_ADDRESS} (set after the request's own headers, so a
     * client cannot send it; {@code TailSseEndpoint} sets it the same way); null without one.
     */
    static String peerAddress(Exchange exchange) {
        Object peer = exchange.getMessage().getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        return peer instanceof SocketAddress address ? address.hostAddress() : null;
    }
}
