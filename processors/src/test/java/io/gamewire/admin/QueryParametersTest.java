package io.gamewire.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.routing.TopicPattern;
import java.util.Map;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The admin API's query parameters: defaults when absent or empty, a 400 naming a bad one. */
class QueryParametersTest {

    private static Message request(Map<String, String> parameters) {
        Message in = new DefaultExchange(new DefaultCamelContext()).getMessage();
        parameters.forEach(in::setHeader);
        return in;
    }

    @Test
    void absentOrEmptyIsTheDefault() {
        Message in = request(Map.of("pattern", "", "deadLetters", ""));
        assertThat(QueryParameters.text(in, "pattern")).isNull();
        assertThat(QueryParameters.pattern(in, "pattern", TopicPattern.all())).isEqualTo(TopicPattern.all());
        assertThat(QueryParameters.bool(in, "deadLetters")).isFalse();
        assertThat(QueryParameters.wholeNumber(in, "limit", 7, 1, 10)).isEqualTo(7);
    }

    @Test
    void goodValuesAreRead() {
        Message in = request(Map.of("pattern", "halo.*.stats.#", "series", "true", "quiet", "false", "limit", "10"));
        assertThat(QueryParameters.pattern(in, "pattern", null).matches("halo.prod.stats.end")).isTrue();
        assertThat(QueryParameters.bool(in, "series")).isTrue();
        assertThat(QueryParameters.bool(in, "quiet")).isFalse();
        assertThat(QueryParameters.wholeNumber(in, "limit", 0, 1, 10)).isEqualTo(10);
    }

    @Test
    void aBadValueIsA400NamingTheParameterAndTheValue() {
        Message in = request(Map.of("pattern", "Halo.#", "deadLetters", "yes", "limit", "0", "hours", "many"));
        assertThatThrownBy(() -> QueryParameters.pattern(in, "pattern", null))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("parameter 'pattern': ").hasMessageContaining("word 1 'Halo'");
        assertThatThrownBy(() -> QueryParameters.bool(in, "deadLetters"))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("parameter 'deadLetters' must be true or false, was 'yes'");
        assertThatThrownBy(() -> QueryParameters.wholeNumber(in, "limit", 0, 1, 1_000_000))
                .hasMessage("parameter 'limit' must be a whole number from 1 to 1000000, was '0'");
        assertThatThrownBy(() -> QueryParameters.wholeNumber(in, "hours", 24, 1, 336))
                .hasMessage("parameter 'hours' must be a whole number from 1 to 336, was 'many'");
    }
}
