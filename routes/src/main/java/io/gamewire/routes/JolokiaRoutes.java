package io.gamewire.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * Jolokia for Hawtio, when {@code gamewire.ops.jolokia.enabled} made {@code OpsConfiguration}
 * bind the step {@code jolokiaRequests}: route {@code admin-jolokia} takes GET and POST on
 * {@code /v1/admin/jolokia} and every path below it (Jolokia's GET protocol puts the request in
 * the path), authorizes the admin like every admin route, then lets Jolokia answer.
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
                .process("adminAuthorization").id(ROUTE_ID + ".authorize-admin")
                .process("jolokiaRequests").id(ROUTE_ID + ".serve-jolokia");
    }
}
