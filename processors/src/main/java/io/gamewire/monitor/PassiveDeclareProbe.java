package io.gamewire.monitor;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Queue figures from a passive {@code queue.declare} on a channel of the bus monitor's connection:
 * ready messages and consumers, both brokers (AMQP 0-9-1 has no unacknowledged count; that needs
 * the {@link ManagementApiProbe}). A passive declare of a queue that does not exist closes its
 * channel (404): the queue is left out and the next one gets a new channel.
 */
public final class PassiveDeclareProbe implements QueueProbe {

    /** Opens a channel; null while there is no connection. */
    @FunctionalInterface
    public interface Channels {
        Channel open() throws IOException;
    }

    private final Channels channels;
    private Channel channel;

    public PassiveDeclareProbe(Channels channels) {
        this.channels = channels;
    }

    @Override
    public String source() {
        return "passive-declare";
    }

    /** Called from one thread at a time (the queue watch's). */
    @Override
    public synchronized Map<String, QueueFigures> read(List<String> queues) throws IOException {
        Map<String, QueueFigures> figures = new LinkedHashMap<>();
        for (String queue : queues) {
            Channel open = channel();
            try {
                AMQP.Queue.DeclareOk ok = open.queueDeclarePassive(queue);
                figures.put(queue, new QueueFigures(queue, ok.getMessageCount(), null, ok.getConsumerCount()));
            } catch (IOException e) {
                if (open.isOpen()) {
                    throw e; // not the channel closed by a missing queue: the connection's trouble
                }
                channel = null; // 404: the queue is missing, the channel is gone with it
            }
        }
        return figures;
    }

    private Channel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = channels.open();
            if (channel == null) {
                throw new IOException("the bus monitor has no connection to the broker");
            }
        }
        return channel;
    }

    @Override
    public synchronized void close() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                // the connection closes it anyway
            }
        }
    }
}
