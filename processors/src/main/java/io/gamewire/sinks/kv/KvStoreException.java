package io.gamewire.sinks.kv;

/** The KV store could not be reached or refused an operation. */
public class KvStoreException extends RuntimeException {

    public KvStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
