package io.gamewire.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker alone, in a process of its own, for the store benchmark
 * ({@code bench/run-broker-store-bench.sh}) and the kill -9 test ({@code BrokerKillIT}):
 *
 * <pre>java -cp gamewire.jar io.gamewire.stack.EmbeddedBrokerMain PORT WORK-DIR STORE</pre>
 *
 * <p>STORE is {@code bdb} or {@code derby} ({@link EmbeddedStore}), a JDBC URL for Qpid's JDBC
 * store (which needs {@code qpid-broker-plugins-jdbc-store} and the driver on the class path; gamewire
 * does not ship it), or {@code memory}: no store at all, which keeps nothing over a restart (the
 * benchmark's upper bound, and the store the kill -9 test must fail on). User and password are {@code guest}. It prints {@code READY <port>} once the
 * broker accepts connections and runs until stopped; SIGTERM stops the broker in order.
 */
public final class EmbeddedBrokerMain {

    private EmbeddedBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: EmbeddedBrokerMain PORT WORK-DIR bdb|derby|memory|jdbc:URL");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path workDir = Path.of(args[1]);
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, workDir, "guest", "guest", node(args[2], workDir));
        broker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "embedded-broker-stop"));
        System.out.println("READY " + port);
        System.out.flush();
        stopped.await();
    }

    private static Map<String, Object> node(String store, Path workDir) {
        if (store.equals("memory")) {
            return Map.of("type", "Memory");
        }
        if (store.startsWith("jdbc:")) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("type", "JDBC");
            node.put("connectionUrl", store);
            node.put("connectionPoolType", "NONE");
            // standard SQL types: Qpid's defaults for a database it does not know are Derby's
            node.put("context", Map.of("qpid.jdbcstore.varBinaryType", "varbinary(%d)",
                    "qpid.jdbcstore.blobType", "blob", "qpid.jdbcstore.useBytesForBlob", "false"));
            return node;
        }
        return EmbeddedBroker.storeNode(EmbeddedStore.choose(store, workDir), workDir);
    }
}
