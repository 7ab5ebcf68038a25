package io.gamewire.ops.jolokia;

import io.gamewire.config.UrlEncoded;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.http.HttpRequestHandler;

/**
 * Jolokia (JMX over HTTP, what Hawtio talks to) as a step of a Camel route, so that it sits behind
 * the admin token like every admin call. Camel's management server could serve Jolokia itself
 * ({@code camel.management.jolokia-enabled}), but on a Vert.x route of its own that no Camel step
 * runs before: nothing there could check the token. Here the request handler of gamewire's
 * {@link JolokiaAgent} (Jolokia restricted by {@link JolokiaPolicy}) answers GET (the request in the
 * path) and POST (the request as JSON in the body) below {@value #PATH}. Jolokia's GET protocol can
 * {@code exec} as well as POST can, so the route lets only the admin token in, never a console
 * session's cookie (a link or an image on another site would carry the cookie).
 */
public final class JolokiaRequests implements Processor {

    /** Where Jolokia answers; the route takes every path below it. */
    public static final String PATH = "/v1/admin/jolokia";

    private final JolokiaAgent agent;

    /** @param agent started with the context: its request handler exists only after {@code start()} */
    public JolokiaRequests(JolokiaAgent agent) {
        this.agent = agent;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HttpRequestHandler handler = agent.requestHandler();
        Message in = exchange.getMessage();
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        String pathInfo = pathInfo(path);
        Map<String, String[]> parameters = parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        Object answer;
        try {
            if ("POST".equalsIgnoreCase(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
                try (InputStream body = in.getBody(InputStream.class)) {
                    answer = handler.handlePostRequest(uri, body, StandardCharsets.UTF_8.name(), parameters);
                }
            } else {
                answer = handler.handleGetRequest(uri, pathInfo, parameters);
            }
        } catch (Exception e) {
            answer = handler.handleThrowable(e);
        }
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(answer instanceof JSONStructure json ? json.toJSONString() : String.valueOf(answer));
    }

    /** The part of the path after {@value #PATH}, as Jolokia's GET protocol reads it ({@code /read/java.lang:type=Memory}). */
    static String pathInfo(String path) {
        if (path == null) {
            return "/";
        }
        int at = path.indexOf(PATH);
        String rest = at < 0 ? path : path.substring(at + PATH.length());
        return rest.isEmpty() ? "/" : rest;
    }

    private static Map<String, String[]> parameters(String query) {
        Map<String, String[]> parameters = new HashMap<>();
        UrlEncoded.fields(query).forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
        return parameters;
    }
}
