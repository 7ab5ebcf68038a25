package io.gamewire.bench.load;

/**
 * The load cannot be run against this server (nothing listening, key refused, endpoint missing);
 * the message says what was found and what to do. Exit status 1.
 */
final class LoadFailure extends Exception {

    LoadFailure(String message) {
        super(message);
    }

    LoadFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
