package io.gamewire.titles.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvPlaceholdersTest {

    private static final Map<String, String> ENV = Map.of("API_URL", "https://api.example.com", "TOKEN", "s3cr3t",
            "EMPTY", "");

    @Test
    void resolvesEveryPlaceholderAndShowsEachValue() throws Exception {
        List<String> values = new ArrayList<>();

        String url = EnvPlaceholders.resolve("{env:API_URL}/v1/items?key={env:TOKEN}", ENV::get, values::add);

        assertThat(url).isEqualTo("https://api.example.com/v1/items?key=s3cr3t");
        assertThat(values).containsExactly("https://api.example.com", "s3cr3t");
    }

    @Test
    void namesTheFirstVariableThatIsUnsetOrEmpty() {
        assertThat(EnvPlaceholders.missing("{env:API_URL}/x/{env:NOPE}", ENV::get)).contains("NOPE");
        assertThat(EnvPlaceholders.missing("{env:EMPTY}", ENV::get)).contains("EMPTY");
        assertThat(EnvPlaceholders.missing("https://plain.example.com/{env:TOKEN}", ENV::get)).isEmpty();
        assertThatThrownBy(() -> EnvPlaceholders.resolve("{env:NOPE}", ENV::get, v -> { }))
                .isInstanceOfSatisfying(EnvPlaceholders.MissingVariableException.class,
                        e -> assertThat(e.variable()).isEqualTo("NOPE"))
                .hasMessage("environment variable NOPE is not set");
    }

    @Test
    void onlyUpperCaseNamesArePlaceholders() {
        assertThat(EnvPlaceholders.PLACEHOLDER.matcher("{env:api_url}").matches()).isFalse();
        assertThat(EnvPlaceholders.PLACEHOLDER.matcher("{env:API_URL_2}").matches()).isTrue();
    }
}
