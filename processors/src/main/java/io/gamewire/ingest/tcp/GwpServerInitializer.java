package io.gamewire.ingest.tcp;

import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.netty.GwpFrameDecoder;
import io.gamewire.protocol.netty.GwpFrameEncoder;
import io.gamewire.titles.TitleRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.ServerInitializerFactory;
import org.apache.camel.component.netty.handlers.ServerChannelHandler;

/**
 * The pipeline of every GWP connection of the camel-netty consumer:
 * {@code [SslHandler →] GwpFrameDecoder → GwpFrameEncoder → GwpSessionHandler → Camel's ServerChannelHandler}
 * (which only REQUESTs reach: the session handler answers EVENTs itself, {@link TcpEvents}).
 * A connection over {@code gamewire.tcp.max-connections}, or one made while the server drains, is
 * answered ERROR 104 or 105 and closed without reading a byte of it (with {@code gamewire.tcp.tls},
 * after the TLS handshake, which the ERROR must go through).
 */
public final class GwpServerInitializer extends ServerInitializerFactory {

    /** The ERROR 105 text of a connection refused, or an AUTH read, while the server drains. */
    static final String SHUTTING_DOWN_TEXT = "the server is stopping; connect to another instance";

    private final TcpSettings settings;
    private final SslContext tls;
    private final TcpConnections connections;
    private final TitleRegistry titles;
    private final TcpEvents events;
    private final LostAnswerLogging lostAnswers;
    private final GwpFrameEncoder encoder;
    private final NettyConsumer consumer;

    /**
     * @param tls         the GWP port's TLS server context ({@code gamewire.tcp.tls}), or null for plaintext
     * @param events      what a connection does with its EVENTs
     * @param lostAnswers counts and logs the EVENT answers a client was no longer there for
     */
    public GwpServerInitializer(TcpSettings settings, SslContext tls, TcpConnections connections, TitleRegistry titles,
                                TcpEvents events, LostAnswerLogging lostAnswers) {
        this(settings, tls, connections, titles, events, lostAnswers, null);
    }

    private GwpServerInitializer(TcpSettings settings, SslContext tls, TcpConnections connections,
                                 TitleRegistry titles, TcpEvents events, LostAnswerLogging lostAnswers,
                                 NettyConsumer consumer) {
        this.settings = settings;
        this.tls = tls;
        this.connections = connections;
        this.titles = titles;
        this.events = events;
        this.lostAnswers = lostAnswers;
        this.encoder = new GwpFrameEncoder(settings.limits());
        this.consumer = consumer;
    }

    @Override
    public ServerInitializerFactory createPipelineFactory(NettyConsumer consumer) {
        return new GwpServerInitializer(settings, tls, connections, titles, events, lostAnswers, consumer);
    }

    @Override
    protected void initChannel(Channel channel) {
        // a client's half-close (end of its sending side) must not close the channel before its
        // answers are written: GwpSessionHandler closes once they are
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(settings.writeBufferLowBytes(),
                settings.writeBufferHighBytes()));
        if (tls != null) {
            // first, so that every byte, a refusal's ERROR too, goes through it; a client speaking
            // plaintext to it fails the handshake and is closed
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()))
                    .addLast("tls-failures", TlsFailures.INSTANCE);
        }
        if (connections.draining()) {
            refuse(channel, ErrorCode.SHUTTING_DOWN, SHUTTING_DOWN_TEXT);
            return;
        }
        if (!connections.tryOpen(channel)) {
            refuse(channel, ErrorCode.TOO_MANY_CONNECTIONS, "this server holds its limit of "
                    + connections.maxConnections() + " connections (gamewire.tcp.max-connections)");
            return;
        }
        channel.pipeline()
                // answers are flushed one by one by the consumer; consolidating the flushes while
                // reads go on saves a system call per ACK under load
                .addLast("flush-consolidation", new FlushConsolidationHandler(256, true))
                .addLast("gwp-decoder", new GwpFrameDecoder(settings.limits()))
                .addLast("gwp-encoder", encoder)
                .addLast("gwp-session", new GwpSessionHandler(settings, connections, titles, events, lostAnswers))
                .addLast("camel", new ServerChannelHandler(consumer));
    }

    private void refuse(Channel channel, ErrorCode code, String text) {
        channel.config().setAutoRead(false);
        channel.pipeline()
                .addLast("gwp-encoder", encoder)
                .addLast("refuse", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(ErrorFrame.truncating(code, ErrorFrame.CONNECTION, text))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                });
    }
}
