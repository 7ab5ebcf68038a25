package io.gamewire.monitor;

/**
 * One queue as the broker reported it.
 *
 * @param messages  messages ready for delivery
 * @param unacked   delivered and not yet acknowledged; null when the probe cannot tell (passive declare)
 * @param consumers consumers attached
 */
public record QueueFigures(String queue, long messages, Long unacked, long consumers) {
}
