package io.gamewire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Form bodies and query strings: fields in order, decoded, repeated names kept. */
class UrlEncodedTest {

    @Test
    void fieldsAreDecodedInOrderWithEveryValueOfARepeatedName() {
        Map<String, List<String>> fields = UrlEncoded.fields("token=a%2Bb+c&maxDepth=3&flag&&token=second&e%3D=x=y");
        assertThat(fields).containsExactly(Map.entry("token", List.of("a+b c", "second")),
                Map.entry("maxDepth", List.of("3")), Map.entry("flag", List.of("")), Map.entry("e=", List.of("x=y")));
        assertThat(UrlEncoded.first("token=a%2Bb+c&token=second", "token")).isEqualTo("a+b c");
        assertThat(UrlEncoded.first("other=1", "token")).isNull();
    }

    @Test
    void nothingIsNoField() {
        assertThat(UrlEncoded.fields(null)).isEmpty();
        assertThat(UrlEncoded.fields("")).isEmpty();
        assertThat(UrlEncoded.first(null, "token")).isNull();
    }

    @Test
    void aMalformedEscapeIsRefused() {
        assertThatThrownBy(() -> UrlEncoded.fields("token=%zz")).isInstanceOf(IllegalArgumentException.class);
    }
}
