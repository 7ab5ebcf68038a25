package io.gamewire.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** What an order that holds does with its publishes: hands them over together, or fails them. */
class PublishOrderTest {

    /** The tasks handed to the lane's thread, run only when the test says. */
    private final List<Runnable> laneTasks = new ArrayList<>();
    private final List<String> published = new ArrayList<>();
    private final PublishOrder order = new PublishOrder(0, null, laneTasks::add);

    private CompletableFuture<Void> publish(String name) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        Runnable publishing = () -> {
            if (name.startsWith("broken")) {
                throw new IllegalStateException(name + " cannot be framed");
            }
            published.add(name);
        };
        assertThat(order.held(publishing, confirmed)).as("held while the order holds").isTrue();
        return confirmed;
    }

    @Test
    void heldPublishesGoToTheLaneInOneTaskInOrderAndOneThatThrowsFailsOnlyItself() {
        order.hold();
        CompletableFuture<Void> first = publish("first");
        CompletableFuture<Void> broken = publish("broken");
        CompletableFuture<Void> last = publish("last");
        assertThat(laneTasks).isEmpty();

        order.handOver();

        assertThat(laneTasks).hasSize(1);
        laneTasks.get(0).run();
        assertThat(published).containsExactly("first", "last");
        assertThat(broken).failsWithin(Duration.ZERO).withThrowableThat()
                .withMessageContaining("publish failed").withMessageContaining("broken cannot be framed");
        assertThat(first).isNotDone(); // the broker's confirm completes it, not the hand-over
        assertThat(last).isNotDone();
        assertThat(order.held(() -> { }, new CompletableFuture<>())).as("holds nothing after").isFalse();
    }

    @Test
    void failedHeldPublishesAreNeverSent() {
        order.hold();
        CompletableFuture<Void> held = publish("first");

        order.failHeld(new IllegalArgumentException("line 7 is not an EVENT"));
        order.handOver();

        assertThat(laneTasks).isEmpty();
        assertThat(held).failsWithin(Duration.ZERO).withThrowableThat()
                .withMessageContaining("not published").withMessageContaining("line 7 is not an EVENT");
    }

    @Test
    void aHandOverToALaneThatRefusesFailsTheHeldPublishes() {
        Executor closed = task -> {
            throw new RejectedExecutionException("shut down");
        };
        PublishOrder onClosedLane = new PublishOrder(0, null, closed);
        onClosedLane.hold();
        CompletableFuture<Void> held = new CompletableFuture<>();
        assertThat(onClosedLane.held(() -> published.add("never"), held)).isTrue();

        onClosedLane.handOver();

        assertThat(held).failsWithin(Duration.ZERO).withThrowableThat().withMessageContaining("the publisher is closed");
        assertThat(published).isEmpty();
    }

    @Test
    void anOrderNoPublisherMadeAndNoneNeverHold() {
        PublishOrder withoutLane = PublishOrders.onLane(2);
        withoutLane.hold();
        PublishOrder.NONE.hold();

        assertThat(withoutLane.held(() -> { }, new CompletableFuture<>())).isFalse();
        assertThat(PublishOrder.NONE.held(() -> { }, new CompletableFuture<>())).isFalse();
    }
}
