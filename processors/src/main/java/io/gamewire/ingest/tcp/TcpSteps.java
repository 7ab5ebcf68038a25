package io.gamewire.ingest.tcp;

import io.gamewire.bus.EventSource;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.ingest.BusSteps;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.netty.channel.ChannelHandlerContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GWP TCP server's own steps around the shared ones ({@link BusSteps}) in the route
 * {@code tcp-ingest}, which REQUESTs go through (EVENTs take {@link TcpEvents}): {@link #readFrame()}
 * takes the connection's authenticated key and keeps the frame for its answer; after admit,
 * request-and-await-reply puts the REPLY in the body, which is the answer; and
 * {@link #answerError()}, the route's catch, turns any failure into an ERROR frame naming the code
 * and the message id ({@link #errorFrame}, which answers failed EVENTs too). The netty consumer
 * writes the body back: every frame gets exactly one answer.
 */
public final class TcpSteps {

    /** Exchange property: the client's frame as it came, for its answer. */
    public static final String FRAME = "GamewireTcpFrame";

    private static final Logger LOG = LoggerFactory.getLogger(TcpSteps.class);

    /** The connection's authenticated key for admit; the frame kept for its answer. */
    public Processor readFrame() {
        return exchange -> {
            Envelope envelope = exchange.getMessage().getMandatoryBody(Envelope.class);
            ChannelHandlerContext ctx = exchange.getMessage().getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT,
                    ChannelHandlerContext.class);
            TcpSession session = ctx.channel().attr(TcpSession.KEY).get();
            exchange.setProperty(BusSteps.KEY_SHA256, session.keySha256());
            exchange.setProperty(BusSteps.SOURCE, EventSource.TCP);
            exchange.setProperty(FRAME, envelope);
        };
    }

    /** The caught failure as an ERROR frame: a refusal's own code, anything else INTERNAL_ERROR (and logged). */
    public Processor answerError() {
        return exchange -> {
            Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            Envelope envelope = exchange.getProperty(FRAME, Envelope.class);
            if (envelope == null) {
                envelope = exchange.getMessage().getBody(Envelope.class);
            }
            exchange.getMessage().setBody(errorFrame(failure, envelope));
        };
    }

    /**
     * The ERROR that answers {@code envelope} after {@code failure}: a refusal's own code, anything
     * else INTERNAL_ERROR (and logged).
     */
    static ErrorFrame errorFrame(Throwable failure, Envelope envelope) {
        Throwable cause = FutureProcessor.unwrap(failure);
        if (cause instanceof RefusedException refused) {
            return ErrorFrame.truncating(refused.refusal().errorCode(), envelope.messageId(), refused.getMessage());
        }
        LOG.warn("{} {} failed: {}", envelope.type(), envelope.routingKey(), cause.toString());
        return ErrorFrame.truncating(ErrorCode.INTERNAL_ERROR, envelope.messageId(), "the server failed: " + cause);
    }
}
