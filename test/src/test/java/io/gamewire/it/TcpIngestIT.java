package io.gamewire.it;

import io.gamewire.protocol.netty.FailOnNettyLeaks;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.ConfirmingPublisher;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.bus.RequestReplyClient;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.protocol.client.GwpErrorException;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.deploy.TitleDeployer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TCP translator and request/response over the bus, end to end with the Java client: events
 * ACKed after the confirm and stored, requests answered from the KV store over the bus (TCP REPLY
 * and {@code GET /v1/query}), timeouts and the bound on pending requests.
 */
// every Netty buffer tracked (PARANOID); a buffer the server or the codec leaks fails the class
@ExtendWith(FailOnNettyLeaks.class)
class TcpIngestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PENDING = 3;
    private static GamewireUnderTest gw;
    private static GamewireClient client;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.requests.timeout-ms", "1500");
        gw.overrides.put("gamewire.requests.max-pending", Integer.toString(MAX_PENDING));
        gw.start();
        client = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey).clientName("tcp-it/1")
                .maxInFlight(256).build();
        client.connect().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        gw.close();
    }

    private static SqlEventStore events() {
        return gw.bean("sqlEventStore", SqlEventStore.class);
    }

    private static Envelope request(String routingKey, String json) {
        return new Envelope(FrameType.REQUEST, MessageIds.next(), null, System.currentTimeMillis(), "application/json",
                routingKey, Map.of(), ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEventIsAckedAfterTheConfirmAndStoredWithTheClientsId() throws Exception {
        Envelope event = GwpSocket.event(gw.services.get(1) + ".scored", "{\"player\":\"ada\",\"points\":7}");

        AckFrame ack = client.send(event).get(10, TimeUnit.SECONDS);

        assertThat(ack.messageId()).isEqualTo(event.messageId());
        await().atMost(Duration.ofSeconds(20)).until(() -> events().countById(event.messageId()) == 1);
    }

    @Test
    void aClientThatHalfClosesGetsTheAnswersToWhatItSentThenTheClose() throws Exception {
        Envelope event = GwpSocket.event(gw.services.get(0) + ".end", "{\"last\":true}");
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            socket.send(event);
            socket.socket().shutdownOutput();

            assertThat(socket.read()).isEqualTo(new AckFrame(event.messageId()));
            assertThat(socket.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> events().countById(event.messageId()) == 1);
    }

    @Test
    void aFrameCutShortByAHalfCloseIsAnsweredMalformedFrameThenClosed() throws Exception {
        byte[] frame = GwpSocket.encode(GwpSocket.event(gw.services.get(0) + ".end", "{\"kills\":7}"));
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            socket.write(java.util.Arrays.copyOf(frame, frame.length - 3));
            socket.socket().shutdownOutput();

            ErrorFrame error = socket.readError();
            assertThat(error.knownCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(error.messageId()).isEqualTo(ErrorFrame.CONNECTION);
            assertThat(error.text()).isEqualTo("the stream ended inside a frame: " + (frame.length - 3)
                    + " of the frame's " + frame.length + " bytes came");
            assertThat(socket.closedByServer()).isTrue();
        }
    }

    @Test
    void aPrintableRoutingKeyOfTheWrongShapeIsRefused201AndTheConnectionStays() throws Exception {
        Envelope threeParts = GwpSocket.event(gw.title + ".prod.scores", "{}");
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            socket.send(threeParts);

            ErrorFrame error = socket.readError();
            assertThat(error.knownCode()).isEqualTo(ErrorCode.INVALID_ROUTING_KEY);
            assertThat(error.messageId()).isEqualTo(threeParts.messageId());
            assertThat(error.text()).contains("expected 4: title.env.service.command");
            socket.send(new io.gamewire.protocol.PingFrame(1));
            assertThat(socket.read()).as("the connection stays").isEqualTo(new io.gamewire.protocol.PongFrame(1));
        }
    }

    @Test
    void anEventWithAnAllZeroMessageIdIsAMalformedFrame() throws Exception {
        Envelope zero = Envelope.event(new UUID(0, 0), System.currentTimeMillis(), "application/json",
                gw.services.get(0) + ".end", "{}".getBytes(StandardCharsets.UTF_8));
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            socket.send(zero);

            ErrorFrame error = socket.readError();
            assertThat(error.knownCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(error.text()).contains("message id is all zero bytes");
            assertThat(socket.closedByServer()).isTrue();
        }
    }

    @Test
    void pipelinedEventsAreAllAckedAndStoredOnce() throws Exception {
        List<UUID> ids = new ArrayList<>();
        List<CompletableFuture<AckFrame>> acks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Envelope event = GwpSocket.event(gw.services.get(0) + ".end", "{\"n\":" + i + "}");
            ids.add(event.messageId());
            acks.add(client.send(event));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(acks).extracting(CompletableFuture::join).extracting(AckFrame::messageId)
                .containsExactlyInAnyOrderElementsOf(ids);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (UUID id : ids) {
                if (events().countById(id) != 1) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void answersToAClientThatResetItsConnectionAreCountedNotLoggedAsWarnings() throws Exception {
        ch.qos.logback.classic.Logger camelHandler = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.apache.camel.component.netty.NettyConsumerExceptionHandler.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> camelWarnings =
                new ch.qos.logback.core.read.ListAppender<>();
        camelWarnings.start();
        camelHandler.addAppender(camelWarnings);
        io.gamewire.ingest.tcp.LostAnswerLogging handler =
                gw.bean("tcpExceptionHandler", io.gamewire.ingest.tcp.LostAnswerLogging.class);
        long lostBefore = handler.lostAnswers();
        try {
            // a client that sends and resets without reading its ACKs, as the soak's silent clients
            // do: the answers still to be written when the reset arrives cannot be (a few tries: a
            // reset that comes before the server read a frame leaves it nothing to answer)
            for (int attempt = 0; attempt < 5 && handler.lostAnswers() == lostBefore; attempt++) {
                try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
                    assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
                    for (int i = 0; i < 300; i++) {
                        socket.send(GwpSocket.event(gw.services.get(0) + ".end", "{\"n\":" + i + "}"));
                    }
                    socket.socket().setSoLinger(true, 0); // close with a reset
                }
                try {
                    await().atMost(Duration.ofSeconds(5)).until(() -> handler.lostAnswers() > lostBefore);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // the reset came before any answer was due: again
                }
            }

            assertThat(handler.lostAnswers()).as("answers counted as lost").isGreaterThan(lostBefore);
            assertThat(camelWarnings.list).as("Camel's handler, a warning and stack trace per lost answer before")
                    .isEmpty();
        } finally {
            camelHandler.detachAppender(camelWarnings);
        }
    }

    @Test
    void aRefusedEventIsAnsweredWithItsCodeAndTheConnectionStays() throws Exception {
        Envelope bad = GwpSocket.event(gw.services.get(1) + ".scored", "{\"player\":\"ada\"}");

        assertThatThrownBy(() -> client.send(bad).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(GwpErrorException.class, e -> {
                    assertThat(e.knownCode()).isEqualTo(ErrorCode.INVALID_EVENT);
                    assertThat(e.error().messageId()).isEqualTo(bad.messageId());
                    assertThat(e.error().text()).contains("payload lacks required field 'points'");
                });
        Envelope good = GwpSocket.event(gw.services.get(1) + ".end", "{}");
        assertThat(client.send(good).get(10, TimeUnit.SECONDS).messageId()).isEqualTo(good.messageId());
    }

    @Test
    void aPublishTheBrokerRefusesFailsAloneAndTheNextOneGoesThrough() throws Exception {
        ConfirmingPublisher publisher = gw.bean("envelopePublisher", EnvelopePublisher.class).publisher();
        com.rabbitmq.client.AMQP.BasicProperties properties = io.gamewire.bus.BusMessages.event(MessageIds.next(), 0L);

        // a missing exchange closes the channel (404): the publish fails, the lane opens a new channel
        assertThatThrownBy(() -> publisher.publish("gwtest-no-such-exchange-" + gw.id, "a.b.c.d", properties,
                new byte[] {1}).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(ConfirmingPublisher.PublishFailedException.class);
        for (int i = 0; i < 8; i++) {
            publisher.publish(gw.exchange, "nobody.listens.to.this", properties, new byte[] {1}).get(10, TimeUnit.SECONDS);
        }
        assertThat(publisher.unconfirmed()).isZero();
    }

    @Test
    void aRequestIsAnsweredOverTheBusFromTheKvStore() throws Exception {
        gw.bean("kvStore", KvStore.class).merge("player:p-" + gw.id, Map.of("gamertag", "Ada", "lastMatch", "m9"));
        String key = gw.title + ".prod.players.get";

        Envelope reply = client.request(request(key, "{\"playerId\":\"p-" + gw.id + "\"}"), Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS);

        assertThat(reply.type()).isEqualTo(FrameType.REPLY);
        assertThat(reply.attributes()).containsEntry(ReservedAttributes.STATUS, "200");
        JsonNode record = JSON.readTree(reply.payloadBytes());
        assertThat(record.get("gamertag").asText()).isEqualTo("Ada");
        assertThat(record.get("lastMatch").asText()).isEqualTo("m9");

        Envelope missing = client.request(request(key, "{\"playerId\":\"nobody\"}"), Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS);
        assertThat(missing.attributes()).containsEntry(ReservedAttributes.STATUS, "404");
        assertThat(JSON.readTree(missing.payloadBytes()).get("error").asText()).isEqualTo("no record player:nobody");
    }

    @Test
    void httpQueriesGoOverTheBusToo() throws Exception {
        gw.bean("kvStore", KvStore.class).merge("player:h-" + gw.id, Map.of("gamertag", "Bob"));
        String path = "/v1/query/" + gw.title + ".prod.players.get?playerId=h-" + gw.id;

        HttpResponse<String> found = gw.get(path);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).get("gamertag").asText()).isEqualTo("Bob");

        HttpResponse<String> missing = gw.get("/v1/query/" + gw.title + ".prod.players.get?playerId=nobody");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no record player:nobody");

        HttpResponse<String> invalid = gw.get("/v1/query/" + gw.title + ".prod.players.get");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("payload lacks required field 'playerId'");

        HttpResponse<String> noKey = gw.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort
                + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
    }

    @Test
    void unansweredRequestsTimeOutAndThePendingTableIsBounded() throws Exception {
        String service = gw.title + ".dev.players";
        gw.camel().getRouteController().stopRoute(TitleDeployer.routeId(service));
        try {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < MAX_PENDING + 2; i++) {
                answers.add(gw.http().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort
                                + "/v1/query/" + service + ".get?playerId=p" + i))
                        .header("Authorization", "Bearer " + gw.apiKey).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                if (response.statusCode() == 504) {
                    assertThat(response.body()).contains("no reply to " + service + ".get within 1500 ms");
                } else {
                    assertThat(response.body()).contains("(gamewire.requests.max-pending)");
                }
            }
            assertThat(statuses).containsOnly(504, 503);
            assertThat(statuses.stream().filter(status -> status == 504).count()).isLessThanOrEqualTo(MAX_PENDING);
            assertThat(statuses).contains(503);

            ExecutionException timeout = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.request(request(service + ".get", "{\"playerId\":\"x\"}"), Duration.ofSeconds(10))
                            .get(15, TimeUnit.SECONDS));
            assertThat(timeout.getCause()).isInstanceOfSatisfying(GwpErrorException.class,
                    e -> assertThat(e.knownCode()).isEqualTo(ErrorCode.REQUEST_TIMEOUT));
            // every entry left the table: replies that never come leak nothing. The entry leaves it
            // on the timer's thread just after the answer went out (a CompletableFuture runs the
            // action registered last, the answer's, first), so the client may see 207 a moment before
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> gw.bean("requestReplyClient", RequestReplyClient.class).pending() == 0);
        } finally {
            gw.camel().getRouteController().startRoute(TitleDeployer.routeId(service));
        }
    }

    @Test
    void requestsOverThePendingLimitAreAnsweredInternalErrorNamingTheSettingOverTcp() throws Exception {
        String service = gw.title + ".dev.players";
        RequestReplyClient requests = gw.bean("requestReplyClient", RequestReplyClient.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.pending() == 0);
        gw.camel().getRouteController().stopRoute(TitleDeployer.routeId(service));
        try (GwpSocket socket = new GwpSocket(gw.tcpPort)) {
            assertThat(socket.auth(gw.apiKey)).isInstanceOf(AckFrame.class);
            List<UUID> sent = new ArrayList<>();
            for (int i = 0; i < MAX_PENDING + 2; i++) {
                Envelope request = GwpSocket.request(service + ".get", "{\"playerId\":\"p" + i + "\"}");
                sent.add(request.messageId());
                socket.send(request);
            }
            List<ErrorFrame> answers = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                answers.add(socket.readError());
            }

            // one connection's REQUESTs reach the table one at a time: the first MAX_PENDING wait
            // and time out, the rest are refused at once with a code that says "resend later"
            assertThat(answers).extracting(ErrorFrame::messageId).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(answers).filteredOn(error -> error.knownCode() == ErrorCode.REQUEST_TIMEOUT).hasSize(MAX_PENDING);
            assertThat(answers).filteredOn(error -> error.knownCode() != ErrorCode.REQUEST_TIMEOUT).hasSize(2)
                    .allSatisfy(error -> {
                        assertThat(error.knownCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                        assertThat(error.text()).isEqualTo(MAX_PENDING + " requests already wait for replies, the limit is "
                                + MAX_PENDING + " (gamewire.requests.max-pending); retry later");
                    });
            // the connection stays usable
            socket.send(new io.gamewire.protocol.PingFrame(9));
            assertThat(socket.read()).isEqualTo(new io.gamewire.protocol.PongFrame(9));
        } finally {
            gw.camel().getRouteController().startRoute(TitleDeployer.routeId(service));
        }
    }
}
