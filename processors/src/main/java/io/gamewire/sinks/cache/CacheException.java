package io.gamewire.sinks.cache;

/** The cache could not be reached or refused an operation. */
public class CacheException extends RuntimeException {

    public CacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
