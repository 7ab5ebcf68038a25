package io.gamewire.pulls;

/**
 * A run of a pull failed; the message names the pull ({@code title/pull}) and, where there is one,
 * the page and the position in it, so a log line alone tells what to look at.
 */
public class PullFailedException extends Exception {

    public PullFailedException(String message) {
        super(message);
    }

    public PullFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
