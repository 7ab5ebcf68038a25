package io.gamewire.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The admin API's paths as the command line calls them, with their parts encoded: one place for the
 * paths that more than one command builds (the console's and {@code gamewire pull}, {@code tail},
 * {@code capacity}).
 */
final class AdminPaths {

    private AdminPaths() {
    }

    /** A query parameter's value, form-encoded. */
    static String query(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A path segment, percent-encoded. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code GET /v1/admin/tail}: {@code limit} 0 for no limit. */
    static String tail(String pattern, boolean deadLetters, long limit) {
        return "v1/admin/tail?pattern=" + query(pattern) + (deadLetters ? "&deadLetters=true" : "")
                + (limit > 0 ? "&limit=" + limit : "");
    }

    /** {@code POST /v1/admin/pulls/{title}/{pull}/runs}: starts a run of the pull. */
    static String pullRuns(String title, String pull) {
        return "v1/admin/pulls/" + segment(title) + "/" + segment(pull) + "/runs";
    }
}
