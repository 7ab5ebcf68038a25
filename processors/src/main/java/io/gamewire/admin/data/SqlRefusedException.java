package io.gamewire.admin.data;

/** SQL the admin console does not run; the message says why (answered as a 400). */
public final class SqlRefusedException extends RuntimeException {

    public SqlRefusedException(String message) {
        super(message);
    }
}
