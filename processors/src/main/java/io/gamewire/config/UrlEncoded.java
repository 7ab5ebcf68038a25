package io.gamewire.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text in {@code application/x-www-form-urlencoded}: a form's body or a URL's query,
 * {@code name=value&name=value}, each part percent-decoded with {@code +} for a space.
 */
public final class UrlEncoded {

    private UrlEncoded() {
    }

    /**
     * Each field's values, in the order the names first come; a field without {@code =} has the
     * value {@code ""}, and empty parts ({@code a&&b}) are no field. Empty for null or empty text.
     *
     * @throws IllegalArgumentException for a malformed {@code %} escape
     */
    public static Map<String, List<String>> fields(String text) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return fields;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            fields.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return fields;
    }

    /** The first value of the field {@code name}; null when there is none. */
    public static String first(String text, String name) {
        List<String> values = fields(text).get(name);
        return values == null ? null : values.get(0);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
