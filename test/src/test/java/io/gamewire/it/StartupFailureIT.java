package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gamewire.config.StartupException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A port in use fails the start with the port and the setting that changes it; so does an embedded
 * broker store setting that does not match the store the data dir holds, naming its folder.
 */
class StartupFailureIT {

    @Test
    void httpPortInUseNamesThePortAndTheSetting() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest();
             ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", gw.httpPort));

            StartupException failure = startupFailure(gw);

            assertThat(failure.getMessage())
                    .contains("HTTP port " + gw.httpPort + " on 127.0.0.1 is already in use")
                    .contains("gamewire.http.port").contains("GAMEWIRE_HTTP_PORT");
        }
    }

    @Test
    void embeddedBrokerPortInUseNamesThePortAndTheSetting() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest();
             ServerSocket taken = new ServerSocket()) {
            // on either stack: the check comes before anything connects anywhere
            int port = GamewireUnderTest.freePort();
            gw.overrides.put("gamewire.broker.embedded", "true");
            gw.overrides.put("gamewire.broker.embedded.port", Integer.toString(port));
            taken.bind(new InetSocketAddress("127.0.0.1", port));

            StartupException failure = startupFailure(gw);

            assertThat(failure.getMessage())
                    .contains("Embedded AMQP broker port " + port)
                    .contains("gamewire.broker.embedded.port").contains("GAMEWIRE_BROKER_EMBEDDED_PORT");
        }
    }

    @Test
    void aDataDirWithADerbyStoreAndStoreBdbNamesTheFolderAndTheSetting() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.overrides.put("gamewire.broker.embedded", "true");
            gw.overrides.put("gamewire.broker.embedded.port", Integer.toString(GamewireUnderTest.freePort()));
            gw.overrides.put("gamewire.broker.embedded.store", "bdb");
            Path derby = gw.dataDir.resolve("broker").resolve("default");
            Files.createDirectories(derby);
            Files.writeString(derby.resolve("service.properties"), "# a Derby database\n");

            StartupException failure = startupFailure(gw);

            assertThat(failure.getMessage()).contains(derby.toString())
                    .contains("gamewire.broker.embedded.store=derby");
        }
    }

    private static StartupException startupFailure(GamewireUnderTest gw) {
        Throwable thrown = catchThrowable(gw::start);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof StartupException startup) {
                return startup;
            }
        }
        throw new AssertionError("expected a StartupException, got " + thrown, thrown);
    }
}
