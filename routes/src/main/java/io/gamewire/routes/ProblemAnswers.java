package io.gamewire.routes;

import io.gamewire.ingest.http.HttpProblems;
import io.vertx.core.http.HttpServerResponse;

/**
 * A JSON problem ({@link HttpProblems#body}) written straight to a Vert.x response, for the
 * handlers in front of the routes that answer a request themselves (the API gate, forced-stop
 * answers, single events whose route stopped meanwhile).
 */
final class ProblemAnswers {

    private ProblemAnswers() {
    }

    /**
     * Ends {@code response} with {@code status} and the problem naming {@code message}; with
     * {@code retrySoon}, {@code Retry-After: 1} too (the client sends again in a moment).
     */
    static void end(HttpServerResponse response, int status, String message, boolean retrySoon) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (retrySoon) {
            response.putHeader("Retry-After", "1");
        }
        response.end(HttpProblems.body(status, message));
    }
}
