package io.gamewire.capacity.plan;

/** What a title lets the capacity planner do with its services' consumers. */
public enum CapacityMode {
    /** No plan: the listener container scales between {@code consumers.min} and {@code max} by its own rules. */
    OFF,
    /** Plan, log and expose each decision; change nothing. The default for a title. */
    RECOMMEND,
    /** Plan and set the consumer count ahead of the forecast. */
    ACT
}
