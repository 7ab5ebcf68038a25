package io.gamewire.protocol.netty;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the reports of buffers leaked on purpose (the canaries of {@link NettyLeaks}) out of the
 * test log: Netty logs each with a long stack trace. Real leaks are still logged.
 */
public final class ExpectedLeakLogFilter extends Filter<ILoggingEvent> {

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getFormattedMessage().contains(NettyLeaks.EXPECTED_LEAK_HINT) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
