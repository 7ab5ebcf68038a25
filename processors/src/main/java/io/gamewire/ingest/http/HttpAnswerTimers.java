package io.gamewire.ingest.http;

import io.gamewire.ingest.EventPathSteps;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The timers an HTTP path served without a Camel exchange keeps in place of its route's metrics
 * ({@link HttpEvents}, {@link HttpBatches}): one meter, tagged by answer, the path's own success
 * ({@code accepted} for a 202, {@code answered} for a batch's 200), {@code refused} for a 4xx and
 * {@code failed} for a 5xx, each with the time from the whole body to the answer.
 */
final class HttpAnswerTimers {

    private final int successStatus;
    private final Timer success;
    private final Timer refused;
    private final Timer failed;

    /** The descriptions say what each answer counted; the status names the path's success. */
    HttpAnswerTimers(MeterRegistry meters, String meter, int successStatus, String successAnswer,
                     String successDescription, String refusedDescription, String failedDescription) {
        this.successStatus = successStatus;
        this.success = EventPathSteps.answerTimer(meters, meter, successAnswer, successDescription);
        this.refused = EventPathSteps.answerTimer(meters, meter, "refused", refusedDescription);
        this.failed = EventPathSteps.answerTimer(meters, meter, "failed", failedDescription);
    }

    /** Records the time since {@code startNanos} under the answer's kind, and gives the answer back. */
    HttpAnswer timed(long startNanos, HttpAnswer answer) {
        Timer timer = answer.status() == successStatus ? success : answer.status() < 500 ? refused : failed;
        timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        return answer;
    }
}
