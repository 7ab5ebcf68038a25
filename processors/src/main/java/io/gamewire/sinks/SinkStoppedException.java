package io.gamewire.sinks;

/**
 * An event reached the sinks while they were stopping: it was not written, and its message goes
 * back to its queue (never to the dead letters) for another consumer or the next start.
 */
public final class SinkStoppedException extends IllegalStateException {

    public SinkStoppedException() {
        super("the sinks are stopping; the message goes back to its queue");
    }
}
