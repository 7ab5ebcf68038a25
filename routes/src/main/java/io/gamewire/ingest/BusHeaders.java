package io.gamewire.ingest;

/**
 * The AMQP headers gamewire sets on every event besides the standard properties (message id,
 * content type, timestamp), until the GWP envelope carries them in the body.
 */
public final class BusHeaders {

    /** When gamewire accepted the event, Unix milliseconds (the AMQP timestamp has only seconds). */
    public static final String RECEIVED_AT = "gw-received-at";
    /** When the event happened by the sender's clock, Unix milliseconds. */
    public static final String EVENT_TIME = "gw-event-time";

    private BusHeaders() {
    }
}
