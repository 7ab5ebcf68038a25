package io.gamewire.camel;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;

/**
 * Where gamewire's own threads come from (the publisher's lanes, the sink writers, the timeout
 * timers, manual pulls). In the application they are Camel's: {@link #of(CamelContext)} names
 * them with Camel's thread name pattern, so a thread dump shows them beside Camel's own; the
 * component that owns a thread still stops it in its own {@code stop}/{@code close}, which Camel
 * calls in order when the context stops. Unit tests without a context use {@link #PLAIN}.
 */
@FunctionalInterface
public interface NamedThreads {

    /** A daemon thread named {@code name} for tests and tools that have no Camel context. */
    NamedThreads PLAIN = (name, task) -> {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    };

    /** A new, not yet started thread running {@code task}. */
    Thread newThread(String name, Runnable task);

    /** Threads made by the context's {@code ExecutorServiceManager}. */
    static NamedThreads of(CamelContext camel) {
        return camel.getExecutorServiceManager()::newThread;
    }

    /** A thread factory whose threads are named {@code name-1}, {@code name-2}, … */
    default ThreadFactory factory(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> newThread(name + "-" + count.incrementAndGet(), task);
    }

    /** A thread factory of one thread name, for single-thread executors. */
    default ThreadFactory single(String name) {
        return task -> newThread(name, task);
    }
}
