package io.gamewire.ingest.tcp;

import io.gamewire.protocol.netty.FailOnNettyLeaks;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.bus.PublishOrder;
import io.gamewire.bus.PublishOrders;
import io.gamewire.ingest.TestTitles;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.AuthFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.PingFrame;
import io.gamewire.protocol.PongFrame;
import io.gamewire.titles.TitleRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session rules on an in-memory channel: AUTH, the window, pauses and timeouts. */
// every Netty buffer tracked (PARANOID); a buffer the server or the codec leaks fails the class
@ExtendWith(FailOnNettyLeaks.class)
class GwpSessionHandlerTest {

    private static final int WINDOW = 4;
    /** The routing key the test's admission refuses. */
    private static final String REFUSED = "halo.prod.nowhere.end";

    private final TcpSettings settings = new TcpSettings(10, WINDOW, 1000, 5000, 1024, 4096, 1000, GwpLimits.DEFAULTS);
    /** The publish orders the connections took, each on the lane of its number, and those given back. */
    private final List<PublishOrder> orders = new ArrayList<>();
    private final List<Integer> closedOrders = new ArrayList<>();
    private final TcpConnections connections = new TcpConnections(10, () -> {
        int lane = orders.size();
        PublishOrder order = PublishOrders.onLane(lane, () -> closedOrders.add(lane));
        orders.add(order);
        return order;
    });
    /** The EVENTs the handler admitted (and published) and the REQUESTs it passed on to the route. */
    private final List<Envelope> passedOn = new ArrayList<>();
    /** Each published EVENT's confirm, by message id, for the test to complete. */
    private final Map<UUID, CompletableFuture<Void>> confirms = new LinkedHashMap<>();
    /** The order each EVENT was published in. */
    private final List<PublishOrder> publishedIn = new ArrayList<>();
    private final LostAnswerLogging lostAnswers = new LostAnswerLogging();
    private TitleRegistry titles;
    private EmbeddedChannel channel;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        titles = TestTitles.registry(dir);
        channel = channel(settings);
        assertThat(connections.tryOpen(channel)).isTrue();
    }

    /** The session handler with an EVENT path that admits everything and publishes to {@link #confirms}, then the route. */
    private EmbeddedChannel channel(TcpSettings tcp) {
        TcpEvents events = new TcpEvents((key, source, event) -> {
            if (event.routingKey().equals(REFUSED)) {
                throw new io.gamewire.ingest.RefusedException(io.gamewire.ingest.Refusal.UNKNOWN_SERVICE, "no such service");
            }
            passedOn.add(event);
            return event;
        }, (admitted, order) -> {
            publishedIn.add(order);
            CompletableFuture<Void> confirm = new CompletableFuture<>();
            confirms.put(admitted.messageId(), confirm);
            return confirm;
        }, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        return new EmbeddedChannel(new GwpSessionHandler(tcp, connections, titles, events, lostAnswers),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        passedOn.add((Envelope) message);
                    }
                });
    }

    private static Envelope event() {
        return Envelope.event(MessageIds.next(), 1L, "application/json", "halo.prod.stats.end", new byte[] {'{', '}'});
    }

    private Frame answer() {
        return channel.readOutbound();
    }

    private void authenticate() {
        UUID id = MessageIds.next();
        channel.writeInbound(new AuthFrame(id, TestTitles.SERVERS_KEY, "test/1"));
        assertThat(answer()).isEqualTo(new AckFrame(id));
    }

    @Test
    void aFirstFrameOtherThanAuthIsRefusedAndCloses() {
        channel.writeInbound(event());

        assertThat(answer()).isInstanceOfSatisfying(ErrorFrame.class,
                error -> assertThat(error.knownCode()).isEqualTo(ErrorCode.AUTH_REQUIRED));
        assertThat(channel.isOpen()).isFalse();
        assertThat(passedOn).isEmpty();
    }

    @Test
    void anAuthenticatedConnectionTakesOnePublishOrderAndGivesItBackWhenItCloses() {
        assertThat(channel.attr(TcpSession.KEY).get().order()).isSameAs(PublishOrder.NONE);

        authenticate();
        channel.writeInbound(event());
        channel.writeInbound(event());

        assertThat(orders).hasSize(1);
        assertThat(channel.attr(TcpSession.KEY).get().order()).isSameAs(orders.get(0));
        assertThat(closedOrders).isEmpty();

        channel.close();

        assertThat(closedOrders).containsExactly(0);
    }

    @Test
    void aSecondAuthIsNotAllowedAndTheConnectionStays() {
        authenticate();
        UUID again = MessageIds.next();

        channel.writeInbound(new AuthFrame(again, TestTitles.SERVERS_KEY, "test/1"));

        assertThat(answer()).isInstanceOfSatisfying(ErrorFrame.class, error -> {
            assertThat(error.knownCode()).isEqualTo(ErrorCode.NOT_ALLOWED);
            assertThat(error.messageId()).isEqualTo(again);
            assertThat(error.text()).contains("authenticated already");
        });
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aFrameOnlyAServerSendsIsMalformedAndCloses() {
        authenticate();

        channel.writeInbound(new PongFrame(7));

        assertThat(answer()).isInstanceOfSatisfying(ErrorFrame.class, error -> {
            assertThat(error.knownCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(error.messageId()).isEqualTo(ErrorFrame.CONNECTION);
            assertThat(error.text()).isEqualTo("a client does not send PONG frames");
        });
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHalfCloseGetsTheAnswersToWhatWasSentThenCloses() {
        authenticate();
        Envelope sent = event();
        channel.writeInbound(sent);

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(channel.isOpen()).as("an EVENT is in flight").isTrue();
        assertThat(channel.config().isAutoRead()).isFalse();

        confirms.get(sent.messageId()).complete(null);
        channel.runPendingTasks();

        assertThat(answer()).isEqualTo(new AckFrame(sent.messageId()));
        assertThat(channel.isOpen()).isFalse();
        assertThat(closedOrders).containsExactly(0);
    }

    @Test
    void aHalfClosedConnectionIsClosedAfterTheDrainTimeoutEvenWithAFrameInFlight() {
        // the embedded loop's clock also runs in real time unless frozen: a millisecond of the
        // machine's between the half-close and the check would fire the close before 2000 ms
        channel.freezeTime();
        authenticate();
        channel.writeInbound(event());
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        // the drain timeout (1000 ms in these settings) and 1 s for the last answers
        channel.advanceTimeBy(1999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("within gamewire.tcp.drain-timeout-ms + 1 s").isTrue();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("the EVENT is still unconfirmed, yet the connection is not held").isFalse();
        assertThat(closedOrders).containsExactly(0);
    }

    @Test
    void aHalfCloseWithNothingInFlightClosesAtOnce() {
        authenticate();

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRefusedAuthTakesNoPublishOrder() {
        channel.writeInbound(new AuthFrame(MessageIds.next(), "guess", ""));

        assertThat(channel.isOpen()).isFalse();
        assertThat(orders).isEmpty();
    }

    @Test
    void anUnknownKeyIsRefusedWithTheAuthsId() {
        UUID id = MessageIds.next();
        channel.writeInbound(new AuthFrame(id, "guess", ""));

        assertThat(answer()).isEqualTo(new ErrorFrame(ErrorCode.AUTH_FAILED, id, "unknown API key"));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void noAuthWithinTheTimeoutCloses() throws Exception {
        channel.advanceTimeBy(1001, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(answer()).isInstanceOfSatisfying(ErrorFrame.class,
                error -> assertThat(error.knownCode()).isEqualTo(ErrorCode.AUTH_TIMEOUT));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void pingIsAnsweredHere() {
        authenticate();
        channel.writeInbound(new PingFrame(42));

        assertThat(answer()).isEqualTo(new PongFrame(42));
        assertThat(passedOn).isEmpty();
    }

    @Test
    void readingPausesAtTheWindowAndAFrameOverItIsRefused() {
        authenticate();
        for (int i = 0; i < WINDOW; i++) {
            channel.writeInbound(event());
        }
        assertThat(channel.config().isAutoRead()).isFalse();
        Envelope over = event();

        channel.writeInbound(over);

        assertThat(passedOn).hasSize(WINDOW);
        assertThat(answer()).isInstanceOfSatisfying(ErrorFrame.class, error -> {
            assertThat(error.knownCode()).isEqualTo(ErrorCode.TOO_MANY_IN_FLIGHT);
            assertThat(error.messageId()).isEqualTo(over.messageId());
        });
        assertThat(channel.isOpen()).isTrue();

        // the broker confirms one: it is answered ACK and the window has room again
        confirms.get(passedOn.get(0).messageId()).complete(null);

        assertThat(answer()).isEqualTo(new AckFrame(passedOn.get(0).messageId()));

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.attr(TcpSession.KEY).get().inFlight()).isEqualTo(WINDOW - 1);
    }

    @Test
    void readingPausesWhileTheBrokerBlocksPublishers() {
        authenticate();

        connections.brokerBlocked(true);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();

        connections.brokerBlocked(false);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void whileDrainingNewFramesAreAnsweredShuttingDown() {
        authenticate();
        connections.startDraining();
        channel.runPendingTasks();
        Envelope late = event();

        channel.writeInbound(late);

        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(passedOn).isEmpty();
        assertThat(answer()).isEqualTo(ErrorFrame.truncating(ErrorCode.SHUTTING_DOWN, late.messageId(),
                "the server is stopping; resend this to another instance"));
    }

    @Test
    void anAuthReadWhileDrainingIsAnsweredShuttingDownAndCloses() {
        // the connection was admitted just before the drain began; its AUTH comes in the same read
        connections.startDraining();
        channel.runPendingTasks();

        channel.writeInbound(new AuthFrame(MessageIds.next(), TestTitles.SERVERS_KEY, "test/1"));

        assertThat(answer()).isEqualTo(ErrorFrame.truncating(ErrorCode.SHUTTING_DOWN, ErrorFrame.CONNECTION,
                "the server is stopping; connect to another instance"));
        assertThat(channel.isOpen()).isFalse();
        assertThat(orders).as("no publish order taken").isEmpty();
    }

    @Test
    void anIdleConnectionIsClosedButNotOneWithFramesInFlight() {
        TcpSettings quick = new TcpSettings(10, WINDOW, 1000, 200, 1024, 4096, 1000, GwpLimits.DEFAULTS);
        channel = channel(quick);
        authenticate();
        channel.writeInbound(event());
        // the idle check uses the real clock, so real time must pass
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
        while (System.nanoTime() < until) {
            channel.advanceTimeBy(50, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            Thread.yield();
        }
        assertThat(channel.isOpen()).as("a frame is in flight").isTrue();

        confirms.get(passedOn.get(0).messageId()).complete(null);
        assertThat(answer()).isInstanceOf(AckFrame.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            channel.advanceTimeBy(50, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            return !channel.isOpen();
        });
        assertThat(answer()).isInstanceOfSatisfying(ErrorFrame.class,
                error -> assertThat(error.knownCode()).isEqualTo(ErrorCode.IDLE_TIMEOUT));
    }

    @Test
    void anEventIsPublishedInTheConnectionsOrderAndAckedOnceTheBrokerConfirmedIt() {
        authenticate();
        Envelope first = event();
        Envelope second = event();

        channel.writeInbound(first);
        channel.writeInbound(second);

        assertThat(passedOn).containsExactly(first, second);
        assertThat(confirms.keySet()).as("published in the order read").containsExactly(first.messageId(),
                second.messageId());
        assertThat(publishedIn).containsExactly(orders.get(0), orders.get(0));
        assertThat((Object) answer()).as("no ACK before the confirm").isNull();
        assertThat(channel.attr(TcpSession.KEY).get().inFlight()).isEqualTo(2);

        // confirms may come in any order; each answers its own event
        confirms.get(second.messageId()).complete(null);
        channel.runPendingTasks();

        assertThat(answer()).isEqualTo(new AckFrame(second.messageId()));
        assertThat(channel.attr(TcpSession.KEY).get().inFlight()).isEqualTo(1);
    }

    @Test
    void anEventTheBrokerDidNotConfirmIsAnsweredWithItsError() {
        authenticate();
        Envelope event = event();
        channel.writeInbound(event);

        confirms.get(event.messageId()).completeExceptionally(new io.gamewire.ingest.RefusedException(
                io.gamewire.ingest.Refusal.PUBLISH_FAILED, "no confirm within 20 ms"));
        channel.runPendingTasks();

        assertThat(answer()).isInstanceOfSatisfying(ErrorFrame.class, error -> {
            assertThat(error.knownCode()).isEqualTo(ErrorCode.PUBLISH_FAILED);
            assertThat(error.messageId()).isEqualTo(event.messageId());
        });
        assertThat(channel.attr(TcpSession.KEY).get().inFlight()).isZero();
    }

    @Test
    void aRequestIsPassedOnToTheRoute() {
        authenticate();
        Envelope request = new Envelope(io.gamewire.protocol.FrameType.REQUEST, MessageIds.next(), null, 1L,
                "application/json", "halo.prod.stats.wins", java.util.Map.of(),
                java.nio.ByteBuffer.wrap(new byte[] {'{', '}'}));

        channel.writeInbound(request);

        assertThat(passedOn).containsExactly(request);
        assertThat(confirms).isEmpty();
        assertThat(channel.attr(TcpSession.KEY).get().inFlight()).isEqualTo(1);
    }

    @Test
    void anAnswerWhoseClientHasGoneIsCountedAsLost() {
        authenticate();
        Envelope event = event();
        channel.writeInbound(event);
        channel.close();

        confirms.get(event.messageId()).complete(null);
        channel.runPendingTasks();

        assertThat(lostAnswers.lostAnswers()).isEqualTo(1);
    }

    @Test
    void aRefusedEventIsAnsweredAtOnceAndFreesItsPlaceInTheWindow() {
        authenticate();
        Envelope refused = Envelope.event(MessageIds.next(), 1L, "application/json", REFUSED, new byte[] {'{', '}'});

        channel.writeInbound(refused);

        assertThat(answer()).isEqualTo(ErrorFrame.truncating(ErrorCode.UNKNOWN_SERVICE, refused.messageId(),
                "no such service"));
        assertThat(confirms).as("not published").isEmpty();
        assertThat(channel.attr(TcpSession.KEY).get().inFlight()).isZero();
        assertThat(channel.isOpen()).isTrue();
    }
}
