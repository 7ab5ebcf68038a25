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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session rules on an in-memory channel: AUTH, the window, pauses and timeouts. */
// every Netty buffer tracked (PARANOID); a buffer the server or the codec leaks fails the class
@ExtendWith(FailOnNettyLeaks.class)
class GwpSessionHandlerTest {

    private static final int WINDOW = 4;

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
    /** What the handler passed on to the route. */
    private final List<Envelope> passedOn = new ArrayList<>();
    private TitleRegistry titles;
    private EmbeddedChannel channel;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        titles = TestTitles.registry(dir);
        channel = new EmbeddedChannel(new GwpSessionHandler(settings, connections, titles),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        passedOn.add((Envelope) message);
                    }
                });
        assertThat(connections.tryOpen(channel)).isTrue();
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

        // the route answers one: the window has room again
        channel.writeAndFlush(new AckFrame(passedOn.get(0).messageId()));

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
    void anIdleConnectionIsClosedButNotOneWithFramesInFlight() {
        TcpSettings quick = new TcpSettings(10, WINDOW, 1000, 200, 1024, 4096, 1000, GwpLimits.DEFAULTS);
        channel = new EmbeddedChannel(new GwpSessionHandler(quick, connections, titles),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        passedOn.add((Envelope) message);
                    }
                });
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

        channel.writeAndFlush(new AckFrame(passedOn.get(0).messageId()));
        assertThat(answer()).isInstanceOf(AckFrame.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            channel.advanceTimeBy(50, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            return !channel.isOpen();
        });
        assertThat(answer()).isInstanceOfSatisfying(ErrorFrame.class,
                error -> assertThat(error.knownCode()).isEqualTo(ErrorCode.IDLE_TIMEOUT));
    }
}
