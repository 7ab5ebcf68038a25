package io.gamewire.capacity.plan;

import java.time.Instant;

/**
 * One decision of the capacity planner for one service.
 *
 * @param service        {@code title.env.service}
 * @param at             when it was taken
 * @param mode           the title's mode when it was taken
 * @param current        consumers per instance before the decision
 * @param planned        consumers per instance the forecast needs, within {@code consumers: {min, max}}
 * @param applied        whether the count was changed ({@code ACT} and {@code planned != current})
 * @param forecastUpper  the upper band of the forecast at {@code forecastAt}, messages a second
 * @param forecastAt     now + the lead time
 * @param consumerRate   messages a second one consumer sustains (measured, or the title's figure)
 * @param reason         why, in a sentence an operator reads in the log
 */
public record ScalingDecision(String service, Instant at, CapacityMode mode, int current, int planned,
        boolean applied, double forecastUpper, Instant forecastAt, double consumerRate, String reason) {
}
