package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.AdminAuthorization;
import io.gamewire.admin.DeadLetterAdmin;
import io.gamewire.admin.DeadLetterQueues;
import io.gamewire.admin.PullAdmin;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.deploy.PullDeployer;
import io.gamewire.pulls.ManualPullRuns;
import io.gamewire.pulls.PullRunner;
import io.gamewire.titles.TitleRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The admin API's steps: {@code adminAuthorization} (the bearer token, the first step of every
 * admin route), {@code deadLetterList} and {@code deadLetterReplay}, {@code pullList},
 * {@code pullRunStart} and {@code pullRunStatus}.
 */
public class AdminConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) {
        AreaSettings settings = areaSettings(camel);
        Registry registry = camel.getRegistry();
        ObjectMapper json = bean(camel, "json", ObjectMapper.class);
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        registry.bind("adminAuthorization", new AdminAuthorization(settings.adminToken()));

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
}
