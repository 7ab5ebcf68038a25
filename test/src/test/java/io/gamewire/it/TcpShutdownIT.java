package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.deploy.TitleDeployer;
import io.gamewire.ingest.tcp.TcpConnections;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
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

    @Test
    void aConnectionMadeWhileTheServerDrainsIsToldShuttingDownAtOnce() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.requests.timeout-ms", "5000");
        gw.start();
        try (GwpSocket open = new GwpSocket(gw.tcpPort)) {
            assertThat(open.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            // without its consumer a REQUEST waits for its timeout, and the drain waits for the REQUEST
            Envelope request = gw.holdARequestInFlight(open);
            CompletableFuture<Void> stopped = gw.stopInBackground();

            // a new connection is answered before it sends a byte; until the drain begins it would
            // wait for its AUTH, and the read times out
            ErrorFrame told = await().atMost(Duration.ofSeconds(4)).until(() -> {
                try (GwpSocket late = new GwpSocket(gw.tcpPort)) {
                    late.socket().setSoTimeout(300);
                    ErrorFrame error = late.readError();
                    assertThat(late.closedByServer()).as("closed after the 105").isTrue();
                    return error;
                } catch (java.net.SocketTimeoutException notYetDraining) {
                    return null;
                }
            }, java.util.Objects::nonNull);
            assertThat(told.knownCode()).isEqualTo(ErrorCode.SHUTTING_DOWN);
            assertThat(told.messageId()).isEqualTo(ErrorFrame.CONNECTION);
            assertThat(told.text()).isEqualTo("the server is stopping; connect to another instance");
            assertThat(stopped).as("the drain still waits for the REQUEST in flight").isNotDone();

            // the open connection's REQUEST is answered, then the connection is told and closed
            ErrorFrame timedOut = open.readError();
            assertThat(timedOut.knownCode()).isEqualTo(ErrorCode.REQUEST_TIMEOUT);
            assertThat(timedOut.messageId()).isEqualTo(request.messageId());
            ErrorFrame closing = open.readError();
            assertThat(closing.knownCode()).isEqualTo(ErrorCode.SHUTTING_DOWN);
            assertThat(closing.messageId()).isEqualTo(ErrorFrame.CONNECTION);
            assertThat(open.closedByServer()).isTrue();
            stopped.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHalfClosedClientThatNeverReadsIsClosedAfterTheDrainTimeout() throws Exception {
        long drainTimeoutMs = 2000;
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.tcp.drain-timeout-ms", Long.toString(drainTimeoutMs));
        // neither the idle time nor the REQUEST's timeout may be what closes it
        gw.overrides.put("gamewire.tcp.idle-timeout-ms", "120000");
        gw.overrides.put("gamewire.requests.timeout-ms", "120000");
        // the server keeps reading however many answers wait, so it reads the half-close too
        gw.overrides.put("gamewire.tcp.write-buffer-high-bytes", Integer.toString(64 * 1024 * 1024));
        gw.overrides.put("gamewire.tcp.write-buffer-low-bytes", Integer.toString(32 * 1024 * 1024));
        gw.start();
        String service = gw.title + ".dev.players";
        gw.camel().getRouteController().stopRoute(TitleDeployer.routeId(service));
        TcpConnections connections = gw.bean("tcpConnections", TcpConnections.class);
        // refused at once (another title's key): about 5 MB of answers, more than the socket
        // buffers between the server and a client that reads nothing hold (about 3 MB on loopback)
        int events = 50_000;
        try (GwpSocket deaf = new GwpSocket(gw.tcpPort, 4096)) {
            assertThat(deaf.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < events; i++) {
                frames.writeBytes(GwpSocket.encode(GwpSocket.event("kart.prod.laps.lap_done", "{}")));
            }
            // and one frame that stays in flight: a REQUEST no one answers
            Envelope request = GwpSocket.request(service + ".get", "{\"playerId\":\"p\"}");
            frames.writeBytes(GwpSocket.encode(request));
            deaf.write(frames.toByteArray());
            deaf.socket().shutdownOutput();
            long halfClosed = System.nanoTime();

            await().atMost(Duration.ofSeconds(30)).until(() -> connections.count() == 0);
            Duration held = Duration.ofNanos(System.nanoTime() - halfClosed);

            assertThat(held).as("closed by gamewire.tcp.drain-timeout-ms (%d ms) plus 1 s for the last answers",
                    drainTimeoutMs).isBetween(Duration.ofMillis(drainTimeoutMs), Duration.ofMillis(drainTimeoutMs + 8000));
            // what it did not read was dropped with the connection: fewer answers than frames, none to the REQUEST
            int answers = 0;
            try {
                while (true) {
                    Frame answer = deaf.read();
                    assertThat(answer).isInstanceOfSatisfying(ErrorFrame.class, error -> {
                        assertThat(error.knownCode()).isEqualTo(ErrorCode.NOT_ALLOWED);
                        assertThat(error.messageId()).isNotEqualTo(request.messageId());
                    });
                    answers++;
                }
            } catch (java.io.EOFException | java.net.SocketException closed) {
                // the end of what the server had handed to its socket
            }
            System.out.println("half-closed client that never read: closed " + held.toMillis() + " ms after its half-close;"
                    + " it got " + answers + " of " + events + " answers");
            assertThat(answers).as("answers the client got before the close").isPositive().isLessThan(events);
        }
    }

    private static void send(GamewireClient client, String key, List<Envelope> sent,
                             List<CompletableFuture<AckFrame>> acks) {
        Envelope event = GwpSocket.event(key, "{\"at\":" + System.nanoTime() + "}");
        acks.add(client.send(event));
        sent.add(event);
    }
}
