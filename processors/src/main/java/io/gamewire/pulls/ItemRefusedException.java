package io.gamewire.pulls;

/**
 * A pulled item that can never be published as it is: its payload breaks the command's schema.
 * Publishing it again would fail again, so the pull engine dead-letters it and goes on rather
 * than failing the page, which would hold the watermark in front of it for good.
 */
public class ItemRefusedException extends RuntimeException {

    public ItemRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
