package io.gamewire.stack;

import io.gamewire.admin.AdminAuthorization;
import io.gamewire.ops.jolokia.JolokiaAgent;
import io.gamewire.ops.jolokia.JolokiaRequests;
import io.gamewire.ops.metrics.RouteEventNotifiers;
import org.apache.camel.CamelContext;
import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.spi.CliConnectorFactory;

/**
 * Camel's own tools. With {@code gamewire.ops.camel-cli.enabled}, the CLI connector of Camel
 * JBang, started once Camel has fully started; it writes {@code ~/.camel/<pid>-status.json} every second and
 * obeys {@code ~/.camel/<pid>-action.json}. With {@code gamewire.ops.jolokia.enabled}, gamewire's
 * Jolokia agent ({@link JolokiaAgent}, restricted by {@code JolokiaPolicy}), started with the
 * context, its requests as the step {@code jolokiaRequests} and {@code adminTokenAuthorization}
 * (the admin token only, no console session) in front of it (route {@code admin-jolokia}).
 * Camel's route event notifier is told to take no exchange events ({@link RouteEventNotifiers}).
 */
public class CamelToolsConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings.OpsTools tools = areaSettings(camel).opsTools();
        // bound in any case: with the connector's jar on the classpath the context would otherwise make
        // an enabled one of its own; disabled, so that the context does not start it during its start
        DefaultCliConnectorFactory cli = new DefaultCliConnectorFactory();
        cli.setEnabled(false);
        cli.setRuntime("Camel Main");
        cli.setRuntimeVersion(camel.getVersion());
        // by name: io.gamewire depends on this package, not the other way round (ArchitectureTest, no cycles)
        cli.setRuntimeStartClass("io.gamewire.GamewireMain");
        // set as the context's plugin, not only bound: Camel Main looks the bean up before the
        // configuration classes run, and the context, finding no plugin, makes an enabled one from
        // the classpath and starts it whatever the setting says (it did, on the prod profile)
        camel.getCamelContextExtension().addContextPlugin(CliConnectorFactory.class, cli);
        camel.getRegistry().bind("cliConnectorFactory", CliConnectorFactory.class, cli);
        if (tools.camelCli()) {
            // started once Camel has fully started: the connector's first status report runs at once on
            // its own thread and reads Camel's dev consoles, whose registry, still starting, then fails
            // the start (ConcurrentModificationException in DefaultDevConsoleRegistry.doStart)
            onFullyStarted(camel, context -> {
                cli.setEnabled(true); // a disabled factory makes no connector
                context.addService(cli.createConnector(), true, true);
            });
        }
        // made by Camel Main as it applies camel.metrics.*, possibly during the start
        onFullyStarted(camel, RouteEventNotifiers::takeNoExchangeEvents);
        if (tools.jolokia()) {
            JolokiaAgent jolokia = new JolokiaAgent();
            camel.addService(jolokia, true, true);
            camel.getRegistry().bind("jolokiaRequests", new JolokiaRequests(jolokia));
            camel.getRegistry().bind("adminTokenAuthorization",
                    bean(camel, "adminAuthorization", AdminAuthorization.class).tokenOnly());
        }
    }
}
