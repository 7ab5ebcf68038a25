package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.sinks.sql.SqlEventStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of the TCP translator under load: open connections are told (ERROR 105) after
 * what was in flight is answered, and a client that resends what it saw no ACK for loses nothing
 * across a restart.
 */
class TcpShutdownIT {

    private GamewireUnderTest gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void aRestartUnderLoadLosesNoEventAndTellsConnectionsWhy() throws Exception {
        gw = new GamewireUnderTest().start();
        String key = gw.services.get(0) + ".queued";
        List<Envelope> sent = new CopyOnWriteArrayList<>();
        List<CompletableFuture<AckFrame>> acks = new CopyOnWriteArrayList<>();
        try (GamewireClient client = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey)
                .clientName("shutdown-it/1").maxInFlight(64)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build();
             GwpSocket idle = new GwpSocket(gw.tcpPort)) {
            client.connect().get(10, TimeUnit.SECONDS);
            assertThat(idle.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            for (int i = 0; i < 300; i++) {
                send(client, key, sent, acks);
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            // keep events in flight while gamewire stops
            Thread load = new Thread(() -> {
                for (int i = 0; i < 700; i++) {
                    send(client, key, sent, acks);
                }
            });
            load.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> acks.stream().filter(CompletableFuture::isDone).count() > 400);
            gw.stopApplication();

            ErrorFrame told = idle.readError();
            assertThat(told.knownCode()).isEqualTo(ErrorCode.SHUTTING_DOWN);
            assertThat(told.messageId()).isEqualTo(ErrorFrame.CONNECTION);
            assertThat(idle.closedByServer()).isTrue();

            gw.start();
            load.join(60_000);
            // the client resent what was not ACKed to the restarted instance
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        assertThat(sent).hasSize(1000);
        SqlEventStore events = gw.bean("sqlEventStore", SqlEventStore.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (Envelope event : sent) {
                if (events.countById(event.messageId()) != 1) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void send(GamewireClient client, String key, List<Envelope> sent,
                             List<CompletableFuture<AckFrame>> acks) {
        Envelope event = GwpSocket.event(key, "{\"at\":" + System.nanoTime() + "}");
        acks.add(client.send(event));
        sent.add(event);
    }
}
