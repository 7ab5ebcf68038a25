package io.gamewire.config;

/** gamewire cannot start as configured; the message says what to change. */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
