package io.gamewire.it;

import io.gamewire.testsupport.RealServices;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The local RabbitMQ node stopped and started again with {@code rabbitmqctl stop_app} and
 * {@code start_app}: the Erlang node stays up, the broker application (listeners, connections,
 * queues) goes. {@link #close()} starts it again if a test stopped it and did not, so a failing
 * test never leaves the machine's broker down.
 */
final class RabbitApp implements Breakage {

    private boolean stopped;

    RabbitApp() {
        if (!List.of("127.0.0.1", "localhost").contains(RealServices.RABBIT_HOST)) {
            throw new IllegalStateException("stopping RabbitMQ needs its node on this machine (rabbitmqctl), but"
                    + " GAMEWIRE_TEST_RABBITMQ_HOST is " + RealServices.RABBIT_HOST);
        }
    }

    /** Starts the broker again if the JVM ends while it is stopped (a killed test run). */
    private final Thread startOnExit = new Thread(() -> {
        try {
            rabbitmqctl("start_app");
        } catch (Exception e) {
            System.err.println("RabbitMQ was left stopped: run rabbitmqctl start_app (" + e.getMessage() + ")");
        }
    }, "rabbitmq-start-on-exit");

    @Override
    public void breakIt() throws Exception {
        stopped = true;
        Runtime.getRuntime().addShutdownHook(startOnExit);
        rabbitmqctl("stop_app");
    }

    @Override
    public void mend() throws Exception {
        rabbitmqctl("start_app");
        rabbitmqctl("await_startup");
        stopped = false;
        Runtime.getRuntime().removeShutdownHook(startOnExit);
    }

    @Override
    public void close() throws Exception {
        if (stopped) {
            mend();
        }
    }

    private static void rabbitmqctl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(arguments));
        Commands.run(Duration.ofSeconds(120), command);
    }
}
