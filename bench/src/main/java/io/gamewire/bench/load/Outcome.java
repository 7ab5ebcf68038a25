package io.gamewire.bench.load;

import java.util.Map;

/** What the answer to one HTTP request says about its events: how many were accepted, and why the others were not. */
record Outcome(int accepted, Map<String, Integer> refused) {

    static Outcome accepted(int events) {
        return new Outcome(events, Map.of());
    }

    static Outcome refused(String kind, int events) {
        return new Outcome(0, Map.of(kind, events));
    }
}
