package io.gamewire.ingest;

/** How events travel on the bus: one GWP envelope frame per AMQP message body. */
public final class BusMessages {

    /** The AMQP content type of a message whose body is one GWP frame. */
    public static final String CONTENT_TYPE = "application/x-gwp";

    private BusMessages() {
    }
}
