package io.gamewire.capacity.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The capacity planner's decisions as the admin API, the console and the pictures read them. */
public interface CapacityPlans {

    /** The latest decision of every planned service, by {@code title.env.service}. */
    Map<String, ScalingDecision> latest();

    Optional<ScalingDecision> latest(String service);

    /** A service's latest decisions, oldest first, at most {@code limit}. */
    List<ScalingDecision> history(String service, int limit);
}
