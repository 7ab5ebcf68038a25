package io.gamewire.pulls;

import io.gamewire.titles.model.PullDefinition;

/** Runs one pull now: called by its schedule ({@link ScheduledPullRun}) and by a manual trigger. */
@FunctionalInterface
public interface PullExecutor {

    void run(String title, PullDefinition pull) throws Exception;
}
