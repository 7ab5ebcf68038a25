package io.gamewire.protocol.client;

import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.AuthFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.PingFrame;
import io.gamewire.protocol.PongFrame;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.protocol.netty.GwpFrameDecoder;
import io.gamewire.protocol.netty.GwpFrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A small GWP server for the client tests, on 127.0.0.1 and an ephemeral port, built from the same
 * frame codec. It accepts AUTH with {@link #API_KEY}, acknowledges events (or withholds the ACKs
 * when told to), refuses events whose command is {@link #REFUSED_COMMAND}, replies to requests with
 * "re:" and their payload unless their command is {@link #UNANSWERED_COMMAND}, and records what it
 * received. Every connection is served on one thread, so the handler's actions do not interleave.
 */
final class TestGwpServer implements AutoCloseable {

    static final String API_KEY = "test-key";
    static final String REFUSED_COMMAND = "refused";
    static final String UNANSWERED_COMMAND = "unanswered";

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("test-gwp-server", true));
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;

    private final Queue<AuthFrame> auths = new ConcurrentLinkedQueue<>();
    private final Queue<Envelope> events = new ConcurrentLinkedQueue<>();
    private final Queue<PongFrame> pongs = new ConcurrentLinkedQueue<>();
    private final Set<UUID> unacknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostUnacknowledged = new AtomicInteger();
    private final Map<UUID, Channel> withheldAcks = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<HeldRequest> heldRequests = new ArrayList<>();

    private volatile String acceptedKey = API_KEY;
    private boolean shutDownOnNextEvent;
    private volatile long authAckDelayMs;
    private volatile boolean withholdAcks;
    private volatile int requestBatch = 1;

    private record HeldRequest(Channel channel, Envelope request) {
    }

    TestGwpServer() {
        Handler handler = new Handler();
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new GwpFrameDecoder(), GwpFrameEncoder.INSTANCE, handler);
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** An EVENT to {@code halo.test.stats.<command>}. */
    static Envelope event(String command) {
        return Envelope.event(MessageIds.next(), System.currentTimeMillis(), "application/json",
                "halo.test.stats." + command, "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** A REQUEST to {@code halo.test.players.<command>} with {@code payload}. */
    static Envelope request(String command, String payload) {
        return new Envelope(FrameType.REQUEST, MessageIds.next(), null, System.currentTimeMillis(), "text/plain; charset=utf-8",
                "halo.test.players." + command, Map.of(), ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
    }

    List<AuthFrame> auths() {
        return List.copyOf(auths);
    }

    /** Every EVENT received, duplicates included, in order of arrival. */
    List<UUID> eventIds() {
        return events.stream().map(Envelope::messageId).collect(Collectors.toList());
    }

    List<PongFrame> pongs() {
        return List.copyOf(pongs);
    }

    /** The most events ever received and not yet answered at one time. */
    int mostUnacknowledged() {
        return mostUnacknowledged.get();
    }

    int openConnections() {
        return connections.size();
    }

    void acceptKey(String key) {
        acceptedKey = key;
    }

    /** Answers AUTH only after {@code millis}, so that a caller can act before the connection is up. */
    void delayAuthAcks(long millis) {
        authAckDelayMs = millis;
    }

    /** The next event is answered ERROR 105 SHUTTING_DOWN, as a stopping server does, and its connection closed. */
    void shutDownOnNextEvent() {
        onServerThread(() -> shutDownOnNextEvent = true);
    }

    void withholdAcks() {
        onServerThread(() -> withholdAcks = true);
    }

    /** Sends the ACKs held back, to connections still open, and acknowledges at once from now on. */
    void releaseAcks() {
        onServerThread(() -> {
            withholdAcks = false;
            List<Map.Entry<UUID, Channel>> held;
            synchronized (withheldAcks) {
                held = new ArrayList<>(withheldAcks.entrySet());
                withheldAcks.clear();
            }
            for (Map.Entry<UUID, Channel> ack : held) {
                if (ack.getValue().isActive()) {
                    acknowledge(ack.getValue(), ack.getKey());
                }
            }
        });
    }

    /** Holds requests until {@code size} have arrived, then replies to them last first. */
    void replyInBatchesOf(int size) {
        requestBatch = size;
    }

    void ping(long nonce) {
        connections.writeAndFlush(new PingFrame(nonce)).syncUninterruptibly();
    }

    void dropConnections() {
        connections.close().syncUninterruptibly();
    }

    /** Stops listening and drops every connection; idempotent. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void onServerThread(Runnable action) {
        group.next().submit(action).syncUninterruptibly();
    }

    private void acknowledge(Channel channel, UUID id) {
        unacknowledged.remove(id); // before the ACK leaves, so the count never lags the client's view
        channel.writeAndFlush(new AckFrame(id));
    }

    @Sharable
    private final class Handler extends SimpleChannelInboundHandler<Frame> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            Channel channel = ctx.channel();
            if (frame instanceof AuthFrame auth) {
                auths.add(auth);
                if (auth.apiKey().equals(acceptedKey) && authAckDelayMs > 0) {
                    channel.eventLoop().schedule(() -> channel.writeAndFlush(new AckFrame(auth.messageId())),
                            authAckDelayMs, TimeUnit.MILLISECONDS);
                } else if (auth.apiKey().equals(acceptedKey)) {
                    channel.writeAndFlush(new AckFrame(auth.messageId()));
                } else {
                    channel.writeAndFlush(new ErrorFrame(ErrorCode.AUTH_FAILED, auth.messageId(), "API key is not known"))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else if (frame instanceof Envelope envelope && envelope.type() == FrameType.EVENT) {
                onEvent(channel, envelope);
            } else if (frame instanceof Envelope envelope && envelope.type() == FrameType.REQUEST) {
                onRequest(channel, envelope);
            } else if (frame instanceof PongFrame pong) {
                pongs.add(pong);
            }
        }

        private void onEvent(Channel channel, Envelope event) {
            events.add(event);
            unacknowledged.add(event.messageId());
            mostUnacknowledged.accumulateAndGet(unacknowledged.size(), Math::max);
            if (shutDownOnNextEvent) {
                shutDownOnNextEvent = false;
                unacknowledged.remove(event.messageId());
                channel.writeAndFlush(new ErrorFrame(ErrorCode.SHUTTING_DOWN, event.messageId(),
                        "the server is stopping; resend this to another instance"));
                channel.writeAndFlush(new ErrorFrame(ErrorCode.SHUTTING_DOWN, ErrorFrame.CONNECTION,
                        "the server is stopping")).addListener(ChannelFutureListener.CLOSE);
            } else if (RoutingKey.parse(event.routingKey()).command().equals(REFUSED_COMMAND)) {
                unacknowledged.remove(event.messageId());
                channel.writeAndFlush(new ErrorFrame(ErrorCode.INVALID_EVENT, event.messageId(),
                        "command 'refused' takes no events"));
            } else if (withholdAcks) {
                withheldAcks.put(event.messageId(), channel);
            } else {
                acknowledge(channel, event.messageId());
            }
        }

        private void onRequest(Channel channel, Envelope request) {
            if (RoutingKey.parse(request.routingKey()).command().equals(UNANSWERED_COMMAND)) {
                return;
            }
            heldRequests.add(new HeldRequest(channel, request));
            if (heldRequests.size() < requestBatch) {
                return;
            }
            for (int i = heldRequests.size() - 1; i >= 0; i--) {
                Envelope held = heldRequests.get(i).request();
                String payload = "re:" + StandardCharsets.UTF_8.decode(held.payload().duplicate());
                heldRequests.get(i).channel().writeAndFlush(new Envelope(FrameType.REPLY, MessageIds.next(),
                        held.messageId(), System.currentTimeMillis(), held.contentType(), held.routingKey(), Map.of(),
                        ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))));
            }
            heldRequests.clear();
        }
    }
}
