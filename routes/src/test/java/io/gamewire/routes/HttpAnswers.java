package io.gamewire.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/** What the route configuration {@link HttpApiErrors} answers, as the HTTP consumer would send it. */
final class HttpAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpAnswers() {
    }

    /** The failure was handled and answered with {@code status} and a JSON problem naming {@code message}. */
    static void assertProblem(Exchange done, int status, String message) throws Exception {
        assertThat(done.getException()).as("handled by " + HttpApiErrors.ID).isNull();
        assertThat(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(status);
        JsonNode problem = JSON.readTree(done.getMessage().getBody(String.class));
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("message").asText()).isEqualTo(message);
    }
}
