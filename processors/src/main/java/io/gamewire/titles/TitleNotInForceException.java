package io.gamewire.titles;

/**
 * The title an event belongs to is not in force as its file is written: the titles are still
 * being loaded, the title or its service is being taken out, or its file has problems. The event
 * cannot be stored with the sinks its command declares yet, so it goes back to its queue (after
 * the store's back-off) rather than being stored without them.
 */
public class TitleNotInForceException extends RuntimeException {

    public TitleNotInForceException(String message) {
        super(message);
    }
}
