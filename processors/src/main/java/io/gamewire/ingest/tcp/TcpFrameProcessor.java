package io.gamewire.ingest.tcp;

import io.gamewire.camel.FutureProcessor;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one EVENT or REQUEST of a TCP client into its answer, which the netty consumer writes back:
 * ACK once the broker confirmed the event, the REPLY of a request, or an ERROR naming the code and
 * the message id. It never fails the exchange: every outcome is a frame for the client.
 */
public final class TcpFrameProcessor extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TcpFrameProcessor.class);

    private final BusGateway gateway;

    public TcpFrameProcessor(BusGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Envelope envelope = exchange.getMessage().getBody(Envelope.class);
        ChannelHandlerContext ctx = exchange.getMessage().getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT,
                ChannelHandlerContext.class);
        TcpSession session = ctx.channel().attr(TcpSession.KEY).get();
        CompletableFuture<Frame> answer;
        try {
            answer = envelope.type() == FrameType.EVENT
                    ? gateway.publish(session.keySha256(), envelope).thenApply(ok -> new AckFrame(envelope.messageId()))
                    : gateway.request(session.keySha256(), envelope).thenApply(reply -> reply);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer.isDone()) {
            exchange.getMessage().setBody(outcome(answer, envelope));
            callback.done(true);
            return true;
        }
        answer.whenComplete((frame, failure) -> {
            exchange.getMessage().setBody(failure == null ? frame : error(failure, envelope));
            callback.done(false);
        });
        return false;
    }

    private static Frame outcome(CompletableFuture<Frame> done, Envelope envelope) {
        try {
            return done.join();
        } catch (RuntimeException e) {
            return error(e, envelope);
        }
    }

    private static ErrorFrame error(Throwable failure, Envelope envelope) {
        Throwable cause = FutureProcessor.unwrap(failure);
        if (cause instanceof RefusedException refused) {
            return ErrorFrame.truncating(refused.refusal().errorCode(), envelope.messageId(), refused.getMessage());
        }
        LOG.warn("{} {} failed: {}", envelope.type(), envelope.routingKey(), cause.toString());
        return ErrorFrame.truncating(ErrorCode.INTERNAL_ERROR, envelope.messageId(), "the server failed: " + cause);
    }
}
