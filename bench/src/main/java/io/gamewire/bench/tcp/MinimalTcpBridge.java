package io.gamewire.bench.tcp;

import com.rabbitmq.client.AMQP;
import io.gamewire.bench.bridge.BridgeBus;
import io.gamewire.bench.bridge.ConfirmLane;
import io.gamewire.bus.EventSource;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.AuthFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.PingFrame;
import io.gamewire.protocol.PongFrame;
import io.gamewire.protocol.netty.GwpFrameDecoder;
import io.gamewire.protocol.netty.GwpFrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.Date;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor under gamewire's TCP row: the least a bridge from GWP to a confirmed, persistent
 * RabbitMQ publish does per EVENT, with the same libraries gamewire uses (Netty 4, with the GWP
 * decoder and encoder of {@code binary-protocol}, and the RabbitMQ Java client). Each connection's
 * AUTH is answered ACK whatever its key; each EVENT is encoded as the GWP frame it came as and
 * published, persistent, with its message id, under its routing key, to a topic exchange with a
 * quorum queue bound to it, on the connection's own lane (so a connection's events keep their
 * order, as in gamewire); its ACK is written once the broker confirmed it (ERROR
 * {@code PUBLISH_FAILED} when it refused it). The answers a confirm settles are written to each
 * connection together, with one flush.
 *
 * <p>What it leaves out, and gamewire does per EVENT: the API key's check, the routing key's and
 * the payload's checks against the title, the rate limit, the in-flight window, the attributes
 * gamewire adds ({@code gw-received-at}, {@code gw-source}), the bus monitor, metrics. It
 * publishes on the connection's event loop (under the lane's lock), where gamewire hands each
 * publish to its lane's thread. So what it reaches is about the most a Java GWP bridge built from
 * these parts reaches on the same cores (bench/run-http-floor.sh --load tcp).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.tcp.MinimalTcpBridge \
 *   --amqp-uri amqp://guest:guest@127.0.0.1:5672/gw-bench --port 17790 --name gw-floor-1
 * </pre>
 * Prints {@code READY <port>} once it listens; on SIGTERM it deletes its exchange and queue (both
 * named by {@code --name}) and exits. With {@code --message gamewire} it publishes, for each EVENT,
 * the message gamewire publishes ({@link BridgeBus#gamewireMessage}) in place of what came in.
 */
public final class MinimalTcpBridge {

    private static final String GWP = "application/x-gwp";

    private final BridgeBus bus;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final AtomicInteger connections = new AtomicInteger();

    private MinimalTcpBridge(BridgeBus bus) {
        this.bus = bus;
    }

    public static void main(String[] args) {
        BridgeBus.run("MinimalTcpBridge", args, 17790, (bus, host, port) -> {
            MinimalTcpBridge bridge = new MinimalTcpBridge(bus);
            // Netty's default worker count (two per core), as camel-netty gives gamewire's TCP server
            Channel server = new ServerBootstrap().group(new NioEventLoopGroup(1), new NioEventLoopGroup())
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new GwpFrameDecoder(), GwpFrameEncoder.INSTANCE,
                                    bridge.new Session(bus.lane(bridge.connections.getAndIncrement())));
                        }
                    })
                    .bind(host, port).sync().channel();
            return ((java.net.InetSocketAddress) server.localAddress()).getPort();
        });
    }

    /** One connection: its lane, and the answers confirmed and not written yet. */
    private final class Session extends SimpleChannelInboundHandler<Frame> {
        private final ConfirmLane lane;
        private final Queue<Frame> answers = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean writeScheduled = new AtomicBoolean();
        private Channel channel;

        Session(ConfirmLane lane) {
            this.lane = lane;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) throws MalformedFrameException {
            if (frame instanceof Envelope event && event.type() == FrameType.EVENT) {
                BridgeBus.Outgoing message = bus.gamewireMessages() ? bus.gamewireMessage(event, EventSource.TCP)
                        : new BridgeBus.Outgoing(new AMQP.BasicProperties.Builder().deliveryMode(2)
                                .contentType(GWP).messageId(event.messageId().toString())
                                .timestamp(new Date(event.timestamp())).build(), codec.encode(event));
                lane.publish(bus.exchange(), event.routingKey(), message.properties(), message.body(),
                        confirmed -> answer(confirmed ? new AckFrame(event.messageId())
                                : ErrorFrame.truncating(ErrorCode.PUBLISH_FAILED, event.messageId(),
                                        "the broker refused the event")));
            } else if (frame instanceof AuthFrame auth) {
                ctx.writeAndFlush(new AckFrame(auth.messageId()));
            } else if (frame instanceof PingFrame ping) {
                ctx.writeAndFlush(new PongFrame(ping.nonce()));
            } else if (frame instanceof Envelope request && request.type() == FrameType.REQUEST) {
                ctx.writeAndFlush(ErrorFrame.truncating(ErrorCode.NOT_ALLOWED, request.messageId(),
                        "the floor bridge takes EVENTs only, not REQUESTs"));
            } else {
                // a frame only a server sends (PROTOCOL.md): the stream is wrong, and is closed
                ctx.writeAndFlush(ErrorFrame.truncating(ErrorCode.MALFORMED_FRAME, ErrorFrame.CONNECTION,
                        "a client does not send " + frame.type())).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** On the connection's thread of the broker: queued, and written with the others of its confirm. */
        private void answer(Frame frame) {
            answers.add(frame);
            if (writeScheduled.compareAndSet(false, true)) {
                channel.eventLoop().execute(this::writeAnswers);
            }
        }

        private void writeAnswers() {
            writeScheduled.set(false);
            Frame frame;
            while ((frame = answers.poll()) != null) {
                channel.write(frame, channel.voidPromise());
            }
            channel.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("MinimalTcpBridge: connection " + ctx.channel().remoteAddress() + " closed: " + cause);
            ctx.close();
        }
    }
}
