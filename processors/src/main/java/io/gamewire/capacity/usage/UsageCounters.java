package io.gamewire.capacity.usage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This instance's cumulative counts of confirmed events per series, since it started: each event
 * counts once for its service ({@code title.env.service}, the routing key's first three parts) and
 * once for its command (the whole key). Lock-free ({@link LongAdder} per key), so counting on the
 * publisher's confirm threads costs no more than a map lookup. Every step
 * {@link UsageCounterTable#publish} writes {@link #totals()} for the sampler, which decides which
 * series are archived (the titles in force); a key counted here that is not in force is written but
 * never archived.
 *
 * <p>Why {@code io.gamewire.capacity.usage} and not {@code .archive}: this package measures (the
 * counters, their table, the sampler that turns them into rates), {@code .archive} keeps what was
 * measured; the sampler is the only class that uses both.
 */
public final class UsageCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /**
     * Counts one confirmed event of {@code title.env.service.command}. A key without three dots is
     * not counted: keys on the events exchange were checked at admission, so that is not expected,
     * and the confirm thread is no place to throw.
     */
    public void count(String routingKey) {
        int first = routingKey.indexOf('.');
        int second = routingKey.indexOf('.', first + 1);
        int last = routingKey.lastIndexOf('.');
        if (first < 0 || second < 0 || last <= second || routingKey.indexOf('.', second + 1) != last) {
            return;
        }
        add(routingKey);
        add(routingKey.substring(0, last));
    }

    private void add(String series) {
        counts.computeIfAbsent(series, key -> new LongAdder()).increment();
    }

    /** Every series counted so far and its total, sorted. */
    public Map<String, Long> totals() {
        Map<String, Long> totals = new TreeMap<>();
        counts.forEach((series, count) -> totals.put(series, count.sum()));
        return totals;
    }
}
