package io.gamewire.monitor.tail;

import com.rabbitmq.client.Connection;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An AMQP connection that is open until it is closed or aborted, and whose close or abort waits
 * until {@link #answer()} (a broker slow to send close-ok); it remembers the thread that closed it.
 * Anything else a test does not expect answers null.
 */
final class FakeConnection {

    final CountDownLatch answered = new CountDownLatch(1);
    final AtomicReference<Thread> closedBy = new AtomicReference<>();
    final Connection connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                case "isOpen" -> closedBy.get() == null;
                case "close", "abort" -> {
                    closedBy.compareAndSet(null, Thread.currentThread());
                    answered.await(30, TimeUnit.SECONDS);
                    yield null;
                }
                case "toString" -> "fake connection";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> null;
            });

    /** The broker answers the close. */
    void answer() {
        answered.countDown();
    }
}
