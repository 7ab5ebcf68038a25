package io.gamewire.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.StartupException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker started on a thread of its own, as {@link EmbeddedBrokerConfiguration} does. */
class EmbeddedBrokerTest {

    @TempDir
    Path folder;

    @Test
    void startInBackgroundReturnsBeforeTheBrokerIsUpAndAwaitStartedWaitsForIt() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, folder.resolve("broker"), "guest", "guest", EmbeddedStore.BDB);
        try {
            broker.startInBackground();
            // Qpid takes a second or more to come up: a start in the caller's thread would be done here
            assertThat(broker.isStarted()).as("started when startInBackground returned").isFalse();

            broker.awaitStarted();

            assertThat(broker.isStarted()).isTrue();
            assertThat(accepting(port)).isTrue();
        } finally {
            broker.stop();
        }
        assertThat(accepting(port)).isFalse();
    }

    @Test
    void theFreeDiskSpaceTheStoreNeedsIsOursNotBerkeleyDbsFiveGigabytes() throws Exception {
        long free = folder.toFile().getUsableSpace();
        // more than the disk has free: the store refuses its first write, as with JE's 5 GB on a small disk
        EmbeddedBroker refusing = new EmbeddedBroker("127.0.0.1", AvailablePortFinder.getNextAvailable(),
                folder.resolve("refusing"), "guest",
                "guest", EmbeddedStore.BDB).minFreeDisk(free * 2);
        assertThatThrownBy(refusing::start).isInstanceOf(StartupException.class)
                .hasMessageStartingWith("the embedded AMQP broker's store needs " + free * 2 / (1024 * 1024)
                        + " MB free on the disk of " + folder.resolve("refusing"))
                .hasMessageContaining("lower " + EmbeddedBroker.MIN_FREE_DISK_PROPERTY);
        refusing.stop();

        int port = AvailablePortFinder.getNextAvailable();
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, folder.resolve("broker"), "guest", "guest",
                EmbeddedStore.BDB).minFreeDisk(Math.min(free / 2, EmbeddedBroker.DEFAULT_MIN_FREE_DISK));
        try {
            broker.start();
            assertThat(accepting(port)).isTrue();
        } finally {
            broker.stop();
        }
        assertThatThrownBy(() -> broker.minFreeDisk(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the free disk space must not be negative, was -1 bytes");
    }

    /**
     * A failed write (a full disk) makes Qpid close the store's environment (its
     * {@code flushLogFailed}, the path "Closing store environment due to failure on syncing data to
     * disk" takes): the broker then says its store is broken, naming it and JE's error.
     */
    @Test
    void aStoreEnvironmentClosedByAFailedWriteIsReportedBroken() throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", AvailablePortFinder.getNextAvailable(),
                folder.resolve("broker"), "guest", "guest",
                EmbeddedStore.BDB);
        assertThat(broker.brokenBy()).as("before the start").isNull();
        try {
            broker.start();
            assertThat(broker.brokenBy()).as("a working store").isNull();

            var environment = ((org.apache.qpid.server.store.berkeleydb.BDBEnvironmentContainer<?>)
                    broker.virtualHostNode()).getEnvironmentFacade();
            environment.flushLogFailed(new RuntimeException("test: No space left on device"));

            assertThat(broker.brokenBy())
                    .startsWith("the embedded AMQP broker's BDB store under " + folder.resolve("broker").toAbsolutePath()
                            + " failed: ")
                    .contains("Environment is null");
        } finally {
            broker.stop();
        }
        assertThat(broker.brokenBy()).as("once stopped").isNull();
    }

    @Test
    void awaitStartedThrowsWhatTheBackgroundStartFailedWith() throws Exception {
        // the store folder cannot be made: a file stands where it should be
        Path file = Files.createFile(folder.resolve("not-a-folder"));
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", AvailablePortFinder.getNextAvailable(),
                file.resolve("broker"), "guest", "guest", EmbeddedStore.BDB);

        broker.startInBackground();

        assertThatThrownBy(broker::awaitStarted).isInstanceOf(StartupException.class)
                .hasMessageContaining("the embedded AMQP broker did not start");
        broker.stop();
    }

    @Test
    void aStopWhileTheBrokerStartsWaitsForTheStartAndLeavesNothingListening() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, folder.resolve("broker"), "guest", "guest", EmbeddedStore.BDB);

        broker.startInBackground();
        broker.stop();

        assertThat(broker.isStopped()).isTrue();
        assertThat(accepting(port)).isFalse();
        broker.awaitStarted();
    }

    @Test
    void aStoppedBrokerStartsAgainOnTheSameStore() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, folder.resolve("broker"), "guest", "guest", EmbeddedStore.BDB);
        try {
            broker.start();
            broker.stop();
            assertThat(accepting(port)).isFalse();

            broker.start();

            assertThat(broker.isStarted()).isTrue();
            assertThat(accepting(port)).isTrue();
        } finally {
            broker.stop();
        }
    }

    @Test
    void onlyAJdbcStoreTouchesTheJvmWideLoginTimeoutSoOnlyItMayNotStartBesideAPool() {
        Path broker = folder.resolve("broker");
        assertThat(EmbeddedBroker.usesDriverManager(EmbeddedBroker.storeNode(EmbeddedStore.BDB, broker))).isFalse();
        assertThat(EmbeddedBroker.usesDriverManager(EmbeddedBroker.storeNode(EmbeddedStore.DERBY, broker))).isTrue();
    }

    @Test
    void awaitStartedWithoutAStartIsAProgrammingError() {
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", 1, folder, "guest", "guest", EmbeddedStore.BDB);
        assertThatThrownBy(broker::awaitStarted).isInstanceOf(IllegalStateException.class);
    }


    private static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
