package io.gamewire.ops.health;

/**
 * A store in gamewire's own data folder (the embedded broker's store, the embedded KV file, the H2
 * database) that one failed write can break for as long as the process lives: Berkeley DB JE
 * invalidates its environment, MVStore closes itself, H2 closes the database. Nothing in the
 * process reopens them; a restart does, recovering what they had committed. The stack's
 * {@code StoreFailureWatch} asks each one in turn and stops gamewire when one is broken.
 */
@FunctionalInterface
public interface BreakableStore {

    /** Null while the store works; else what broke it, for the log (the store and its error). */
    String brokenBy();
}
