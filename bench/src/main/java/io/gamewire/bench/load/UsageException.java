package io.gamewire.bench.load;

/** The command line is wrong; the message says how. Exit status 2. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
