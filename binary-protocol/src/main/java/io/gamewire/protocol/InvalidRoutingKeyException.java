package io.gamewire.protocol;

/** A routing key that is not {@code title.env.service.command} with parts {@code [a-z0-9_-]{1,32}}. */
public class InvalidRoutingKeyException extends IllegalArgumentException {

    public InvalidRoutingKeyException(String message) {
        super(message);
    }
}
