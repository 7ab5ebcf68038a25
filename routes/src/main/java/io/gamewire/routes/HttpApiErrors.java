package io.gamewire.routes;

import io.gamewire.ingest.http.HttpProblems;
import io.gamewire.ingest.http.RequestRefusedException;

import io.gamewire.ingest.RefusedException;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * How every route behind the HTTP API answers a failure, defined once: a refusal with its status
 * ({@link RequestRefusedException}), a translator's refusal with the status its {@code Refusal}
 * names ({@link RefusedException}), anything else 500 naming what failed. Routes opt in with
 * {@code .routeConfigurationId(HttpApiErrors.ID)}.
 */
public final class HttpApiErrors extends RouteConfigurationBuilder {

    /** The route configuration's id. */
    public static final String ID = "http-api-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(RequestRefusedException.class).handled(true).process(HttpProblems::refused).end()
                .onException(RefusedException.class).handled(true).process(HttpProblems::refusedByTranslator).end()
                .onException(Exception.class).handled(true).process(HttpProblems::failed).end();
    }
}
