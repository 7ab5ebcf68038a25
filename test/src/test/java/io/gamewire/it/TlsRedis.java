package io.gamewire.it;

import static org.awaitility.Awaitility.await;

import io.gamewire.testsupport.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own, from the installed {@code redis-server}, that takes TLS
 * connections only (no plaintext port) and asks every client for a certificate the test's CA signed
 * ({@code tls-auth-clients yes}); nothing is saved. The machine's Redis on 6379 is plaintext. A child
 * process of the test's JVM: {@link #close()} (or a shutdown hook, when a run is cut short) stops it
 * and deletes its folder.
 */
final class TlsRedis implements AutoCloseable {

    final int tlsPort;
    private final TestCertificates ca;
    private final Path dir;
    private final Process server;
    private final StopAtExit stopping = new StopAtExit("tls-redis-stop", this::stopQuietly);

    private TlsRedis(TestCertificates ca, Path dir, int tlsPort, Process server) {
        this.ca = ca;
        this.dir = dir;
        this.tlsPort = tlsPort;
        this.server = server;
    }

    /** A server with {@code server}'s certificate, answering over TLS when this returns. */
    static TlsRedis start(TestCertificates ca, TestCertificates server, TestCertificates client) throws Exception {
        Path dir = Files.createTempDirectory("gwtls-redis-");
        int port = GamewireUnderTest.freePort();
        Process process = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no",
                "--tls-cert-file", server.certificatePem().toString(),
                "--tls-key-file", server.privateKeyPem().toString(),
                "--tls-ca-cert-file", ca.certificatePem().toString(), "--tls-auth-clients", "yes")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        TlsRedis redis = new TlsRedis(ca, dir, port, process);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> !process.isAlive() || redis.cli(client, "PING").equals("PONG"));
            if (!process.isAlive()) {
                throw new IllegalStateException("the test's redis-server exited: "
                        + Files.readString(dir.resolve("redis.log")));
            }
            return redis;
        } catch (Exception | Error e) {
            redis.close();
            throw e;
        }
    }

    /** {@code redis-cli} over TLS with {@code client}'s certificate: the command's answer, trimmed. */
    String cli(TestCertificates client, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("redis-cli", "--tls", "--cacert", ca.certificatePem().toString(),
                "--cert", client.certificatePem().toString(), "--key", client.privateKeyPem().toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(tlsPort)));
        line.addAll(List.of(command));
        // the answer goes to a file, so that a redis-cli that hangs is ended after the wait, not read forever
        Path output = Files.createTempFile(dir, "cli-", ".out");
        Process cli = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean ended = cli.waitFor(10, TimeUnit.SECONDS);
            if (!ended) {
                cli.destroyForcibly();
            }
            String answer = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (!ended || cli.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + command[0] + (ended ? " failed: " : " hung: ") + answer);
            }
            return answer;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private void stopQuietly() {
        StopAtExit.endThenDelete(server, 20, dir);
    }

    @Override
    public void close() {
        stopping.close();
    }
}
