package io.gamewire.monitor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which routing keys become metric labels. Only a key some title file declares
 * ({@code title.env.service.command}) is a label of its own, and at most {@code maxKeys} of them;
 * anything else — a key no title declares, or one past the cap — is counted under {@link #OTHER}.
 * So a client that sends random routing keys cannot grow {@code /observe/metrics} without bound.
 */
public final class RoutingKeyLabels {

    /** The label of every routing key that does not get one of its own. */
    public static final String OTHER = "other";

    private final Supplier<Set<String>> declared;
    private final int maxKeys;
    private final Set<String> labelled = ConcurrentHashMap.newKeySet();

    /**
     * @param declared the routing keys the titles in force declare, read per new key
     * @param maxKeys  the most keys that get a label of their own ({@code gamewire.ops.max-routing-keys})
     */
    public RoutingKeyLabels(Supplier<Set<String>> declared, int maxKeys) {
        if (maxKeys < 0) {
            throw new IllegalArgumentException("gamewire.ops.max-routing-keys must be at least 0, not " + maxKeys);
        }
        this.declared = declared;
        this.maxKeys = maxKeys;
    }

    /** The label for {@code routingKey}: the key itself, or {@link #OTHER}. */
    public String label(String routingKey) {
        if (routingKey == null) {
            return OTHER;
        }
        if (labelled.contains(routingKey)) {
            return routingKey;
        }
        if (!declared.get().contains(routingKey)) {
            return OTHER;
        }
        synchronized (labelled) {
            // a key once labelled keeps its label: a meter's labels never change under a dashboard
            if (labelled.size() >= maxKeys) {
                return OTHER;
            }
            labelled.add(routingKey);
        }
        return routingKey;
    }
}
