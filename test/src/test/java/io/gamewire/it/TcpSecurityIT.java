package io.gamewire.it;

import io.gamewire.protocol.netty.FailOnNettyLeaks;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.ingest.tcp.TcpConnections;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.PingFrame;
import io.gamewire.protocol.PongFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Hostile and broken TCP clients on real sockets: each gets its numbered ERROR, no other connection
 * is affected, and nothing is published that should not be (a monitor queue bound to {@code #}
 * sees only the marker event each test sends after the bad client).
 */
// every Netty buffer tracked (PARANOID); a buffer the server or the codec leaks fails the class
@ExtendWith(FailOnNettyLeaks.class)
class TcpSecurityIT {

    private static final int MAX_CONNECTIONS = 6;
    private static GamewireUnderTest gw;
    private static RabbitAdmin admin;
    private Queue monitor;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.tcp.auth-timeout-ms", "1000");
        gw.overrides.put("gamewire.tcp.idle-timeout-ms", "2000");
        gw.overrides.put("gamewire.tcp.max-connections", Integer.toString(MAX_CONNECTIONS));
        gw.overrides.put("gamewire.tcp.max-in-flight", "32");
        gw.overrides.put("gamewire.tcp.write-buffer-high-bytes", "65536");
        gw.overrides.put("gamewire.tcp.write-buffer-low-bytes", "16384");
        gw.start();
        admin = new RabbitAdmin(gw.bean("connectionFactory", ConnectionFactory.class));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @BeforeEach
    void monitorAndNoConnections() {
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.bean("tcpConnections", TcpConnections.class).count() == 0);
        monitor = new Queue("gwtest" + gw.id + ".monitor" + System.nanoTime(), false, true, true);
        admin.declareQueue(monitor);
        admin.declareBinding(BindingBuilder.bind(monitor).to(new TopicExchange(gw.exchange)).with("#"));
    }

    /** Sends one good event on a connection of its own; the monitor must then hold exactly that one. */
    private void assertOnlyTheMarkerWasPublished() throws IOException {
        try (GwpSocket good = new GwpSocket(gw.tcpPort)) {
            assertThat(good.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            Envelope marker = GwpSocket.event(gw.services.get(0) + ".marker", "{}");
            good.send(marker);
            assertThat(good.read()).isEqualTo(new AckFrame(marker.messageId()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getQueueInfo(monitor.getName()).getMessageCount() >= 1);
        assertThat(admin.getQueueInfo(monitor.getName()).getMessageCount()).isEqualTo(1);
        admin.deleteQueue(monitor.getName());
    }

    private static void assertClosedWith(GwpSocket socket, ErrorCode code) throws IOException {
        ErrorFrame error = socket.readError();
        assertThat(error.knownCode()).as(error.toString()).isEqualTo(code);
        assertThat(socket.closedByServer()).isTrue();
    }

    @Test
    void aFirstFrameOtherThanAuthIsRefused() throws Exception {
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            socket.send(GwpSocket.event(gw.services.get(0) + ".end", "{}"));
            assertClosedWith(socket, ErrorCode.AUTH_REQUIRED);
        }
        assertOnlyTheMarkerWasPublished();
    }

    @Test
    void aWrongKeyIsRefused() throws Exception {
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            Frame answer = socket.auth("not-a-key");
            assertThat(answer).isInstanceOfSatisfying(ErrorFrame.class, error -> {
                assertThat(error.knownCode()).isEqualTo(ErrorCode.AUTH_FAILED);
                assertThat(error.text()).isEqualTo("unknown API key").doesNotContain("not-a-key");
            });
            assertThat(socket.closedByServer()).isTrue();
        }
        assertOnlyTheMarkerWasPublished();
    }

    @Test
    void aKeyCannotPublishToAnotherTitleOrAnEnvironmentItLacks() throws Exception {
        try (GwpSocket socket = new GwpSocket(gw.tcpPort); GwpSocket devOnly = new GwpSocket(gw.tcpPort)) {
            assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            Envelope otherTitle = GwpSocket.event("kart.prod.laps.lap_done", "{}");
            socket.send(otherTitle);
            ErrorFrame refused = socket.readError();
            assertThat(refused.knownCode()).isEqualTo(ErrorCode.NOT_ALLOWED);
            assertThat(refused.messageId()).isEqualTo(otherTitle.messageId());
            assertThat(refused.text()).contains("belongs to title '" + gw.title + "', not 'kart'");
            // the connection stays usable
            socket.send(new PingFrame(7));
            assertThat(socket.read()).isEqualTo(new PongFrame(7));

            assertThat(devOnly.auth(gw.devOnlyKey)).isInstanceOf(AckFrame.class);
            Envelope toProd = GwpSocket.event(gw.services.get(1) + ".end", "{}");
            devOnly.send(toProd);
            ErrorFrame forbidden = devOnly.readError();
            assertThat(forbidden.knownCode()).isEqualTo(ErrorCode.NOT_ALLOWED);
            assertThat(forbidden.text()).contains("may not use environment 'prod'");
        }
        assertOnlyTheMarkerWasPublished();
    }

    @Test
    void aKeyOverItsRateLimitIsAnsweredRateLimited() throws Exception {
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            assertThat(socket.auth(gw.slowKey)).isInstanceOf(AckFrame.class);
            List<Envelope> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Envelope event = GwpSocket.event(gw.services.get(0) + ".end", "{}");
                events.add(event);
                socket.send(event);
            }
            List<Frame> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(socket.read());
            }
            // the slow key may send 2 a second: two ACKs and one refusal, in any order
            assertThat(answers).filteredOn(AckFrame.class::isInstance).hasSize(2);
            assertThat(answers).filteredOn(ErrorFrame.class::isInstance).singleElement()
                    .isInstanceOfSatisfying(ErrorFrame.class, error -> {
                        assertThat(error.knownCode()).isEqualTo(ErrorCode.RATE_LIMITED);
                        assertThat(events).extracting(Envelope::messageId).contains(error.messageId());
                        assertThat(error.text()).contains("key 'slow' is over its rate limit of 2 events/s");
                    });
        }
    }

    @Test
    void garbageBytesAreRefusedAfterTheMagic() throws Exception {
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertClosedWith(socket, ErrorCode.BAD_MAGIC);
        }
        assertOnlyTheMarkerWasPublished();
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItsBodyArrives() throws Exception {
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            socket.write(new byte[] {0x47, 0x57, 0x01, 0x02, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            ErrorFrame error = socket.readError();
            assertThat(error.knownCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(error.text()).contains("(gamewire.gwp.max-frame-bytes)");
            assertThat(socket.closedByServer()).isTrue();
        }
        assertOnlyTheMarkerWasPublished();
    }

    @Test
    void aClientThatNeverAuthenticatesIsClosed() throws Exception {
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            assertClosedWith(socket, ErrorCode.AUTH_TIMEOUT);
        }
    }

    @Test
    void aClientThatTricklesOneByteAtATimeIsClosedAsIdle() throws Exception {
        try (GwpSocket slow = new GwpSocket(gw.tcpPort)) {
            assertThat(slow.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            byte[] frame = GwpSocket.encode(GwpSocket.event(gw.services.get(0) + ".end", "{}"));
            Thread trickle = new Thread(() -> {
                try {
                    for (byte b : frame) {
                        slow.write(new byte[] {b});
                        Thread.sleep(250);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server, as expected
                }
            });
            trickle.start();
            long started = System.nanoTime();
            assertClosedWith(slow, ErrorCode.IDLE_TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
            trickle.interrupt();
        }
        assertOnlyTheMarkerWasPublished();
    }

    @Test
    void aClientThatNeverReadsItsAcksIsStoppedNotBuffered() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        try (GwpSocket deaf = new GwpSocket(gw.tcpPort, 4096)) {
            assertThat(deaf.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            Thread flood = new Thread(() -> {
                try {
                    while (true) {
                        byte[] frame = GwpSocket.encode(GwpSocket.event(gw.services.get(0) + ".end", "{}"));
                        deaf.write(frame);
                        written.addAndGet(frame.length);
                    }
                } catch (IOException e) {
                    failed.set(true);
                }
            });
            flood.setDaemon(true);
            flood.start();
            // the server stops reading: the writer stalls
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                long before = written.get();
                Thread.sleep(300);
                return written.get() == before;
            });
            long stalledAt = written.get();
            // bounded: socket buffers and the write-buffer limit, not everything the client wants to send
            assertThat(stalledAt).isLessThan(32L * 1024 * 1024);

            // meanwhile another client is served as usual
            try (GwpSocket other = new GwpSocket(gw.tcpPort)) {
                assertThat(other.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
                Envelope event = GwpSocket.event(gw.services.get(0) + ".end", "{}");
                other.send(event);
                assertThat(other.read()).isEqualTo(new AckFrame(event.messageId()));
            }
            // and the deaf one is closed after the idle time: its writes fail
            await().atMost(Duration.ofSeconds(20)).untilTrue(failed);
        }
    }

    @Test
    void aConnectionFloodIsRefusedOverTheLimitAndOthersAreNotAffected() throws Exception {
        List<GwpSocket> admitted = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                GwpSocket socket = new GwpSocket(gw.tcpPort);
                admitted.add(socket);
                assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            }
            for (int i = 0; i < 3; i++) {
                try (GwpSocket extra = new GwpSocket(gw.tcpPort)) {
                    ErrorFrame refused = extra.readError();
                    assertThat(refused.knownCode()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
                    assertThat(refused.text()).contains("limit of " + MAX_CONNECTIONS + " connections");
                    assertThat(extra.closedByServer()).isTrue();
                }
            }
            for (GwpSocket socket : admitted) {
                socket.send(new PingFrame(1));
                assertThat(socket.read()).isEqualTo(new PongFrame(1));
            }
        } finally {
            for (GwpSocket socket : admitted) {
                socket.close();
            }
        }
    }
}
