package io.gamewire.pulls;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/** Reads {@code Link: <https://…?page=2>; rel="next", <…>; rel="last"} (RFC 8288), for LINK paging. */
final class LinkHeader {

    private LinkHeader() {
    }

    /**
     * The rel="next" target of the Link headers, resolved against the request's URI; null if none.
     *
     * @throws IllegalArgumentException when that target is not a URI
     */
    static URI next(List<String> headers, URI base) {
        for (String header : headers) {
            int at = 0;
            while (true) {
                int open = header.indexOf('<', at);
                if (open < 0) {
                    break;
                }
                int close = header.indexOf('>', open);
                if (close < 0) {
                    break;
                }
                String target = header.substring(open + 1, close).trim();
                int nextLink = header.indexOf('<', close);
                String params = header.substring(close + 1, nextLink < 0 ? header.length() : nextLink);
                if (isNext(params)) {
                    try {
                        return base.resolve(target);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("the Link header's next target '" + target
                                + "' is not a URI: " + e.getMessage(), e);
                    }
                }
                at = close + 1;
            }
        }
        return null;
    }

    /** Whether a link's parameters include rel=next (rel may list several types). */
    private static boolean isNext(String params) {
        for (String param : params.split(";")) {
            String[] nameValue = param.split("=", 2);
            if (nameValue.length == 2 && nameValue[0].trim().equalsIgnoreCase("rel")) {
                String value = nameValue[1].trim().replaceAll("^\"|\"?,?\\s*$", "");
                for (String rel : value.toLowerCase(Locale.ROOT).split("\\s+")) {
                    if (rel.equals("next")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
