package io.gamewire.capacity;

/**
 * The latest w points' "outside the band" marks, counted, as RRDtool's FAILURES keeps them.
 */
final class FailureWindow {

    private final boolean[] marks;
    private int next;
    private int outside;

    FailureWindow(int window) {
        marks = new boolean[window];
    }

    /** Adds the newest mark, dropping the oldest, and returns how many of the window are outside. */
    int add(boolean isOutside) {
        if (marks[next]) {
            outside--;
        }
        marks[next] = isOutside;
        if (isOutside) {
            outside++;
        }
        next = (next + 1) % marks.length;
        return outside;
    }
}
