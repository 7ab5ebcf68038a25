package io.gamewire.protocol.client;

import static io.gamewire.protocol.client.TestGwpServer.event;
import static io.gamewire.protocol.client.TestGwpServer.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.PongFrame;
import io.gamewire.protocol.netty.FailOnNettyLeaks;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FailOnNettyLeaks.class)
class GamewireClientTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final TestGwpServer server = new TestGwpServer();
    private final List<GamewireClient> clients = new ArrayList<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        sender.shutdownNow();
        clients.forEach(GamewireClient::close);
        server.close();
    }

    private GamewireClient.Builder builder() {
        return GamewireClient.builder()
                .address("127.0.0.1", server.port())
                .apiKey(TestGwpServer.API_KEY)
                .clientName("match-server/test")
                .connectTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private GamewireClient started(GamewireClient client) {
        clients.add(client);
        return client;
    }

    private GamewireClient connected(GamewireClient.Builder builder) throws Exception {
        GamewireClient client = started(builder.build());
        client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThatThrownBy(() -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return future.handle((value, failure) -> failure).join();
    }

    private static void awaitAll(List<CompletableFuture<AckFrame>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void connectSendsAuthFirstAndCompletesOnItsAck() throws Exception {
        connected(builder());

        assertThat(server.auths()).singleElement().satisfies(auth -> {
            assertThat(auth.apiKey()).isEqualTo(TestGwpServer.API_KEY);
            assertThat(auth.clientName()).isEqualTo("match-server/test");
        });
    }

    @Test
    void aRefusedApiKeyFailsConnectWithTheServersCodeAndTextAndClosesTheClient() {
        GamewireClient client = started(builder().apiKey("wrong-key").build());

        Throwable failure = failureOf(client.connect());

        assertThat(failure).isInstanceOfSatisfying(GwpErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED.code());
            assertThat(e.text()).isEqualTo("API key is not known");
        });
        assertThat(failureOf(client.send(event("kill")))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void connectFailsWhenNothingListens() {
        int port = server.port();
        server.close();
        GamewireClient client = started(builder().address("127.0.0.1", port).build());

        assertThat(failureOf(client.connect())).isInstanceOf(ConnectException.class);
    }

    @Test
    void everyEventIsCompletedByTheAckWithItsId() throws Exception {
        GamewireClient client = connected(builder());
        List<Envelope> events = IntStream.range(0, 200).mapToObj(i -> event("kill")).collect(Collectors.toList());

        List<CompletableFuture<AckFrame>> acks = events.stream().map(client::send).collect(Collectors.toList());

        awaitAll(acks);
        for (int i = 0; i < events.size(); i++) {
            assertThat(acks.get(i).join().messageId()).isEqualTo(events.get(i).messageId());
        }
        assertThat(server.eventIds()).containsExactlyElementsOf(events.stream().map(Envelope::messageId).toList());
        await().atMost(WAIT).until(() -> client.inFlight() == 0);
    }

    @Test
    void anErrorForOneEventFailsOnlyThatEventsFuture() throws Exception {
        GamewireClient client = connected(builder());

        CompletableFuture<AckFrame> before = client.send(event("kill"));
        Envelope refused = event(TestGwpServer.REFUSED_COMMAND);
        CompletableFuture<AckFrame> refusedAck = client.send(refused);
        CompletableFuture<AckFrame> after = client.send(event("kill"));

        assertThat(failureOf(refusedAck)).isInstanceOfSatisfying(GwpErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_EVENT.code());
            assertThat(e.messageId()).isEqualTo(refused.messageId());
            assertThat(e.text()).isEqualTo("command 'refused' takes no events");
        });
        awaitAll(List.of(before, after));
        assertThat(server.openConnections()).as("the connection survives a per-event ERROR").isEqualTo(1);
    }

    @Test
    void noMoreEventsThanTheWindowAreEverInFlight() throws Exception {
        int window = 8;
        GamewireClient client = connected(builder().maxInFlight(window));
        server.withholdAcks();
        List<CompletableFuture<AckFrame>> acks = Collections.synchronizedList(new ArrayList<>());

        Future<?> sending = sender.submit(() -> IntStream.range(0, 3 * window).forEach(i -> acks.add(client.send(event("kill")))));

        await("the first " + window + " events to reach the server").atMost(WAIT)
                .until(() -> server.eventIds().size() >= window);
        await("no event beyond the window of " + window + " while no ACK comes; the sender blocked")
                .during(Duration.ofMillis(300)).atMost(WAIT)
                .until(() -> server.eventIds().size() == window && !sending.isDone() && client.inFlight() == window);

        server.releaseAcks();

        sending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitAll(acks);
        assertThat(server.eventIds()).hasSize(3 * window).doesNotHaveDuplicates();
        assertThat(server.mostUnacknowledged()).isEqualTo(window);
    }

    @Test
    void afterALostConnectionTheClientReconnectsAndResendsEveryUnacknowledgedEvent() throws Exception {
        GamewireClient client = connected(builder());
        List<Envelope> acknowledged = IntStream.range(0, 5).mapToObj(i -> event("kill")).toList();
        awaitAll(acknowledged.stream().map(client::send).toList());
        server.withholdAcks();
        List<Envelope> unacknowledged = IntStream.range(0, 5).mapToObj(i -> event("kill")).toList();
        List<CompletableFuture<AckFrame>> pending = new ArrayList<>(unacknowledged.stream().map(client::send).toList());
        await().atMost(WAIT).until(() -> server.eventIds().size() == 10);

        server.dropConnections();
        server.releaseAcks(); // those ACKs had nowhere to go; from now on events are acknowledged at once
        Envelope duringOutage = event("kill");
        pending.add(client.send(duringOutage));

        awaitAll(pending);
        assertThat(server.auths()).as("AUTH again on the new connection").hasSize(2);
        Map<UUID, Long> timesReceived = server.eventIds().stream()
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        acknowledged.forEach(event -> assertThat(timesReceived).containsEntry(event.messageId(), 1L));
        unacknowledged.forEach(event -> assertThat(timesReceived).containsEntry(event.messageId(), 2L));
        assertThat(timesReceived).containsEntry(duringOutage.messageId(), 1L);
        await().atMost(WAIT).until(() -> client.inFlight() == 0);
    }

    @Test
    void anEventTheStoppingServerDidNotTakeIsResentAfterTheReconnect() throws Exception {
        GamewireClient client = connected(builder());
        server.shutDownOnNextEvent();
        Envelope event = event("kill");

        AckFrame ack = client.send(event).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(ack.messageId()).isEqualTo(event.messageId());
        assertThat(server.eventIds()).containsExactly(event.messageId(), event.messageId());
        assertThat(server.auths()).as("AUTH again on the new connection").hasSize(2);
    }

    @Test
    void aKeyRevokedBeforeAReconnectClosesTheClientAndFailsWhatIsInFlight() throws Exception {
        GamewireClient client = connected(builder());
        server.withholdAcks();
        CompletableFuture<AckFrame> pending = client.send(event("kill"));
        await().atMost(WAIT).until(() -> server.eventIds().size() == 1);

        server.acceptKey("another-key");
        server.dropConnections();

        assertThat(failureOf(pending)).isInstanceOfSatisfying(GwpErrorException.class,
                e -> assertThat(e.knownCode()).isEqualTo(ErrorCode.AUTH_FAILED));
        assertThat(failureOf(client.send(event("kill")))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void repliesAreMatchedToRequestsByCorrelationId() throws Exception {
        GamewireClient client = connected(builder());
        server.replyInBatchesOf(3); // replies come back last request first
        List<Envelope> requests = List.of(request("get", "a"), request("get", "b"), request("get", "c"));

        List<CompletableFuture<Envelope>> replies = requests.stream().map(client::request).toList();

        for (int i = 0; i < requests.size(); i++) {
            Envelope reply = replies.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply.correlationId()).isEqualTo(requests.get(i).messageId());
            assertThat(new String(reply.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("re:" + "abc".charAt(i));
        }
    }

    @Test
    void aRequestThatTimesOutFailsAndLeavesNothingInFlight() throws Exception {
        GamewireClient client = connected(builder());
        Envelope unanswered = request(TestGwpServer.UNANSWERED_COMMAND, "?");

        CompletableFuture<Envelope> reply = client.request(unanswered, Duration.ofMillis(100));
        assertThat(client.inFlight()).isEqualTo(1);

        assertThat(failureOf(reply)).isInstanceOf(TimeoutException.class)
                .hasMessage("no REPLY to REQUEST " + unanswered.messageId()
                        + " (halo.test.players.unanswered) within 100 ms");
        await().atMost(WAIT).until(() -> client.inFlight() == 0);
        assertThat(client.request(request("get", "x")).get(WAIT.toSeconds(), TimeUnit.SECONDS).payloadBytes())
                .as("the client still works").containsExactly("re:x".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsNonce() throws Exception {
        connected(builder());

        server.ping(42);

        await().atMost(WAIT).until(() -> server.pongs().contains(new PongFrame(42)));
    }

    @Test
    void closeFailsWhatIsInFlightClosesTheConnectionAndRefusesFurtherSends() throws Exception {
        GamewireClient client = connected(builder());
        server.withholdAcks();
        List<CompletableFuture<AckFrame>> pending = IntStream.range(0, 3).mapToObj(i -> client.send(event("kill"))).toList();
        await().atMost(WAIT).until(() -> server.eventIds().size() == 3);

        client.close();

        pending.forEach(ack -> assertThat(failureOf(ack)).isInstanceOf(IllegalStateException.class)
                .hasMessage("GamewireClient was closed before an answer arrived"));
        await().atMost(WAIT).until(() -> server.openConnections() == 0);
        assertThat(failureOf(client.send(event("kill")))).hasMessageContaining("GamewireClient is closed");
    }

    @Test
    void closeReleasesASenderBlockedOnTheFullWindow() throws Exception {
        GamewireClient client = connected(builder().maxInFlight(1));
        server.withholdAcks();
        client.send(event("kill"));
        Future<CompletableFuture<AckFrame>> blocked = sender.submit(() -> client.send(event("kill")));
        await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> !blocked.isDone());

        client.close();

        assertThat(failureOf(blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS))).hasMessageContaining("was not sent");
    }

    @Test
    void sendingOnTheIoThreadWithTheWindowFullFailsInsteadOfDeadlocking() {
        server.withholdAcks();
        // connect() must complete on the I/O thread, after the callback below is attached
        server.delayAuthAcks(300);
        GamewireClient client = started(builder().maxInFlight(1).build());
        client.send(event("kill")); // takes the only slot, and keeps it: no ACK comes

        CompletableFuture<CompletableFuture<AckFrame>> fromCallback = client.connect().thenApply(connected -> {
            // connect() completes on the client's I/O thread; guard against waiting on this one
            assertThat(Thread.currentThread().getName()).startsWith("gamewire-client");
            return client.send(event("kill"));
        });

        assertThat(fromCallback).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class)
                .withMessageContaining("waiting for one on the client's I/O thread would stop the answers that free them");
    }

    @Test
    void eventsSentBeforeConnectAreWrittenOnceConnected() throws Exception {
        GamewireClient client = started(builder().build());
        CompletableFuture<AckFrame> early = client.send(event("kill"));

        client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        awaitAll(List.of(early));
    }

    @Test
    void framesThatCannotBeSentAreRefusedToTheirSender() throws Exception {
        GamewireClient client = connected(builder());
        Envelope event = event("kill");
        Envelope tooManyAttributes = new Envelope(event.type(), event.messageId(), null, 0, "application/json",
                event.routingKey(), IntStream.range(0, 17).boxed().collect(Collectors.toMap(i -> "a" + i, i -> "v")),
                event.payload());

        assertThatThrownBy(() -> client.send(request("get", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("send() takes EVENT envelopes, not REQUEST");
        assertThatThrownBy(() -> client.request(event)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("request() takes REQUEST envelopes, not EVENT");
        assertThat(failureOf(client.send(tooManyAttributes))).isInstanceOf(MalformedFrameException.class)
                .hasMessage("17 attributes, the limit is 16 (gamewire.gwp.max-attributes)");
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void aMessageIdAlreadyInFlightIsRefused() throws Exception {
        GamewireClient client = connected(builder());
        server.withholdAcks();
        Envelope event = event("kill");
        CompletableFuture<AckFrame> first = client.send(event);

        assertThat(failureOf(client.send(event))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is already in flight");
        assertThat(first).isNotDone();
        assertThat(client.inFlight()).isEqualTo(1);
    }

    @Test
    void settingsOutOfRangeAreNamed() {
        assertThatThrownBy(() -> builder().maxInFlight(0).build())
                .hasMessage("maxInFlight must be from 1 to 65536, was 0");
        assertThatThrownBy(() -> builder().address("127.0.0.1", 0).build())
                .hasMessage("port must be from 1 to 65535, was 0");
        assertThatThrownBy(() -> builder().apiKey("").build())
                .hasMessage("apiKey or clientName: AUTH api key is 0 bytes, it must be 1 to 256 (fixed by the protocol)");
        assertThatThrownBy(() -> builder().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessage("reconnectBackoff needs 0 < initial <= max, was initial PT2S, max PT1S");
        assertThatThrownBy(() -> GamewireClient.builder().apiKey("k").build())
                .hasMessage("address(host, port) is required");
    }
}
