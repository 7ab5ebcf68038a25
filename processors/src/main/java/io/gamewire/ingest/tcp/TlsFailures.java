package io.gamewire.ingest.tcp;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after the GWP port's {@code SslHandler}: a connection whose TLS fails (a plaintext client, a
 * handshake refused for a missing or untrusted client certificate) is logged in one line and
 * closed. Netty's own report would be a warning with a stack trace whose message is a hex dump of
 * what the client sent, which for a plaintext GWP client holds its AUTH frame and so its API key.
 */
@Sharable
final class TlsFailures extends ChannelInboundHandlerAdapter {

    static final TlsFailures INSTANCE = new TlsFailures();
    private static final Logger LOG = LoggerFactory.getLogger(TlsFailures.class);

    private TlsFailures() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        Throwable tls = tlsCause(cause);
        if (tls == null) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        // a NotSslRecordException's message is the client's bytes in hex: its class only; JSSE's own
        // messages (no client certificate, an untrusted one, no shared protocol) say what went wrong
        LOG.info("TLS failed with {}, closing it: {}", ctx.channel().remoteAddress(), tls instanceof NotSslRecordException
                ? "not a TLS record (a plaintext client?)" : tls.getClass().getSimpleName() + ": " + tls.getMessage());
        ctx.close();
    }

    /** The TLS failure behind {@code cause} (Netty wraps them in a DecoderException), or null. */
    private static Throwable tlsCause(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            return cause;
        }
        Throwable inner = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return inner instanceof SSLException || inner instanceof NotSslRecordException ? inner : null;
    }
}
