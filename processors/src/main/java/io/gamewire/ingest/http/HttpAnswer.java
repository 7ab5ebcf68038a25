package io.gamewire.ingest.http;

import java.util.Map;

/**
 * An answer of the HTTP API written outside Camel's routes ({@link HttpEvents}): its status, its
 * JSON body and the headers that go with it ({@code Retry-After}, {@code WWW-Authenticate}); a
 * problem's is made by {@link HttpProblems#of}, and put on an exchange by {@link HttpProblems#apply}.
 */
public record HttpAnswer(int status, String body, Map<String, String> headers) {
}
