package io.gamewire.it;

import static org.awaitility.Awaitility.await;

import io.gamewire.testsupport.RealServices;
import io.gamewire.testsupport.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ node of the test's own, from the installed {@code rabbitmq-server}, whose only AMQP
 * listener is TLS ({@code listeners.tcp = none}): a connection it accepts is a TLS connection. It
 * requires a client certificate signed by the test's CA ({@code fail_if_no_peer_cert}).
 *
 * <p>It shares nothing with the machine's node on 5672 but epmd: its own node name, distribution
 * port, Erlang cookie (in its own HOME), data and log folders, environment file (not
 * /etc/rabbitmq/rabbitmq-env.conf, which names the main node) and an empty plugins file (the
 * management plugin would want port 15672, the main node's). {@link #close()} stops it by its node
 * name, waits for its Erlang VM to exit (or kills it) and deletes its folder; a JVM shutdown hook
 * does the same when a run is cut short.
 */
final class TlsRabbitNode implements AutoCloseable {

    private static final Path SCRIPTS = Path.of("/usr/lib/rabbitmq/bin");

    final String node = RealServices.uniqueName("gwtls") + "@localhost";
    final int tlsPort;
    private final Path dir;
    private final StopAtExit stopping = new StopAtExit("tls-rabbit-node-stop", this::stopQuietly);
    private final Map<String, String> environment = new HashMap<>();

    private TlsRabbitNode(Path dir, int tlsPort) {
        this.dir = dir;
        this.tlsPort = tlsPort;
    }

    /** A node with {@code server}'s certificate, trusting client certificates {@code ca} signed; running when this returns. */
    static TlsRabbitNode start(TestCertificates ca, TestCertificates server) throws Exception {
        Path dir = Files.createTempDirectory("gwtls-rabbit-");
        TlsRabbitNode rabbit = new TlsRabbitNode(dir, GamewireUnderTest.freePort());
        try {
            rabbit.configure(ca, server);
            rabbit.run(Duration.ofSeconds(120), SCRIPTS.resolve("rabbitmq-server").toString(), "-detached");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> rabbit.accepts() || !rabbit.starting());
            if (!rabbit.accepts()) {
                throw new IllegalStateException("the test's RabbitMQ node " + rabbit.node + " did not start: "
                        + rabbit.logTail());
            }
            return rabbit;
        } catch (Exception | Error e) {
            rabbit.close();
            throw e;
        }
    }

    private void configure(TestCertificates ca, TestCertificates server) throws IOException {
        Path cookie = dir.resolve(".erlang.cookie");
        Files.writeString(cookie, RealServices.uniqueName("cookie").toUpperCase(java.util.Locale.ROOT));
        Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        Path config = Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n",
                "listeners.tcp = none",
                "listeners.ssl.default = 127.0.0.1:" + tlsPort,
                "ssl_options.cacertfile = " + ca.certificatePem(),
                "ssl_options.certfile = " + server.certificatePem(),
                "ssl_options.keyfile = " + server.privateKeyPem(),
                "ssl_options.verify = verify_peer",
                "ssl_options.fail_if_no_peer_cert = true", ""));
        Path plugins = Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Path envFile = Files.writeString(dir.resolve("rabbitmq-env.conf"), "ERL_EPMD_ADDRESS=127.0.0.1\n");
        environment.put("HOME", dir.toString());
        environment.put("RABBITMQ_NODENAME", node);
        environment.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        environment.put("RABBITMQ_NODE_PORT", Integer.toString(GamewireUnderTest.freePort()));
        environment.put("RABBITMQ_DIST_PORT", Integer.toString(GamewireUnderTest.freePort()));
        environment.put("RABBITMQ_MNESIA_BASE", Files.createDirectories(dir.resolve("mnesia")).toString());
        environment.put("RABBITMQ_LOG_BASE", Files.createDirectories(dir.resolve("log")).toString());
        environment.put("RABBITMQ_PID_FILE", dir.resolve("node.pid").toString());
        environment.put("RABBITMQ_CONFIG_FILE", config.toString());
        environment.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
        environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", plugins.toString());
        environment.put("RABBITMQ_CONF_ENV_FILE", envFile.toString());
        environment.put("ERL_FLAGS", "-kernel inet_dist_use_interface {127,0,0,1}");
    }

    /**
     * Runs one of RabbitMQ's scripts as this node's (root, its own HOME and environment) within
     * {@code limit} (a hung script is ended, not waited for); returns its output.
     */
    private String run(Duration limit, String... command) throws IOException, InterruptedException {
        return Commands.output(limit, List.of(command), dir, environment);
    }

    /** {@code rabbitmqctl -n <this node> ...}: never the main node. */
    String rabbitmqctl(String... arguments) throws IOException, InterruptedException {
        return rabbitmqctl(Duration.ofSeconds(120), arguments);
    }

    private String rabbitmqctl(Duration limit, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPTS.resolve("rabbitmqctl").toString(), "-n", node));
        command.addAll(List.of(arguments));
        return run(limit, command.toArray(String[]::new));
    }

    /** Per AMQP connection: whether it is TLS, and the subject of the client's certificate. */
    List<String[]> connections() throws IOException, InterruptedException {
        List<String[]> connections = new ArrayList<>();
        for (String line : rabbitmqctl("list_connections", "ssl", "peer_cert_subject", "--quiet",
                "--no-table-headers").split("\n")) {
            if (!line.isBlank()) {
                connections.add(line.trim().split("\t"));
            }
        }
        return connections;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tlsPort), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the node's Erlang VM is still up (it writes its pid file once started). */
    private boolean starting() {
        return pid().map(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).orElse(true);
    }

    private java.util.Optional<Long> pid() {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(dir.resolve("node.pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private String logTail() {
        try (var logs = Files.list(dir.resolve("log"))) {
            StringBuilder tail = new StringBuilder();
            for (Path log : logs.toList()) {
                List<String> lines = Files.readAllLines(log);
                tail.append(log.getFileName()).append(": ")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
            return tail.toString();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Stops the node by its name and waits for its Erlang VM to exit ({@code rabbitmqctl stop} with
     * the pid file waits for that; without it, it returns while the VM still writes to the folder),
     * ends the VM by its pid when that fails or takes too long, then deletes the folder.
     */
    private void stopQuietly() {
        java.util.Optional<ProcessHandle> vm = pid().flatMap(ProcessHandle::of);
        try {
            rabbitmqctl(Duration.ofSeconds(60), "stop", dir.resolve("node.pid").toString());
        } catch (Exception e) {
            // not stopped by its name: ended by its pid below
        }
        vm.ifPresent(TlsRabbitNode::awaitExit);
        try {
            GamewireUnderTest.deleteTree(dir);
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    /** Waits up to 30 s for {@code vm} to exit, then kills it and waits up to 10 s more. */
    private static void awaitExit(ProcessHandle vm) {
        try {
            vm.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            vm.destroyForcibly();
            try {
                vm.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException stuck) {
                // left to the machine: the folder goes anyway
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping.close();
    }
}
