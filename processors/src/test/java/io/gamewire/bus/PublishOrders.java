package io.gamewire.bus;

/** Publish orders for the tests of the publisher's callers, without a publisher. */
public final class PublishOrders {

    private PublishOrders() {
    }

    /** An order on {@code lane} whose close does nothing. */
    public static PublishOrder onLane(int lane) {
        return onLane(lane, () -> { });
    }

    /** An order on {@code lane} whose (first) close runs {@code onClose}. */
    public static PublishOrder onLane(int lane, Runnable onClose) {
        return new PublishOrder(lane, onClose);
    }
}
