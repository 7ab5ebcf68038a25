package io.gamewire.protocol.netty;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when any Netty buffer allocated while it ran was garbage-collected without
 * being released. Use with {@code @ExtendWith(FailOnNettyLeaks.class)}.
 */
public final class FailOnNettyLeaks implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        NettyLeaks.watch();
        NettyLeaks.collect(); // leaks of earlier classes are theirs, not this one's
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = NettyLeaks.collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer(s) leaked in " + context.getDisplayName()
                    + ":\n" + String.join("\n", leaks));
        }
    }
}
