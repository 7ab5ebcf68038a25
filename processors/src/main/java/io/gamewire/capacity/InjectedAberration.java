package io.gamewire.capacity;

/**
 * An interval of a synthetic trace where the generator changed the rate on purpose.
 *
 * @param kind   a spike (the rate multiplied up) or an outage (the rate dropped near zero)
 * @param start  the first step
 * @param length how many steps, at least 1
 */
public record InjectedAberration(Kind kind, int start, int length) {

    public enum Kind { SPIKE, OUTAGE }

    public InjectedAberration {
        if (start < 0 || length < 1) {
            throw new IllegalArgumentException("aberration at step " + start + " of " + length + " steps");
        }
    }

    /** The step after the last one. */
    public int end() {
        return start + length;
    }

    public boolean contains(int step) {
        return step >= start && step < end();
    }
}
