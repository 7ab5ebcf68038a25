package io.gamewire.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * Jolokia for Hawtio, when {@code gamewire.ops.jolokia.enabled} made {@code CamelToolsConfiguration}
 * bind the steps {@code jolokiaRequests} and {@code adminTokenAuthorization}: route
 * {@code admin-jolokia} takes GET and POST on {@code /v1/admin/jolokia} and every path below it
 * (Jolokia's GET protocol puts the request in the path), lets in only the admin token (bearer, or
 * Basic as Hawtio sends it; not a console session, since a GET can run operations), then lets
 * Jolokia answer within {@code JolokiaPolicy}.
 */
public class JolokiaRoutes extends RouteBuilder {

    /** The route's id. */
    public static final String ROUTE_ID = "admin-jolokia";

    @Override
    public void configure() {
        if (getContext().getRegistry().lookupByName("jolokiaRequests") == null) {
            return;
        }
        from("platform-http:/v1/admin/jolokia?matchOnUriPrefix=true&httpMethodRestrict=GET,POST")
                .routeId(ROUTE_ID).routeConfigurationId(HttpApiErrors.ID)
                .process("adminTokenAuthorization").id(ROUTE_ID + ".authorize-admin")
                .process("jolokiaRequests").id(ROUTE_ID + ".serve-jolokia");
    }
}
