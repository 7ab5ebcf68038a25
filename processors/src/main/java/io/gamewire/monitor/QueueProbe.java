package io.gamewire.monitor;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Asks the broker how deep some queues are: {@link PassiveDeclareProbe} or {@link ManagementApiProbe}. */
public interface QueueProbe extends AutoCloseable {

    /** How the figures are read, as {@code GET /v1/admin/queues} names it: {@code passive-declare}, {@code management-api}. */
    String source();

    /**
     * The figures of those of {@code queues} that exist, by name; a missing queue is left out.
     *
     * @throws IOException when the broker cannot be asked at all
     */
    Map<String, QueueFigures> read(List<String> queues) throws IOException;

    @Override
    default void close() {
    }
}
