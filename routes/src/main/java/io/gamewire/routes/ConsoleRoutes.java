package io.gamewire.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The web console at {@code /console/}, served by gamewire itself from files in its jar:
 * <ul>
 *   <li>{@code GET /console/} ({@code console-page}): the page; a browser without a valid session is
 *       sent to the login page (303) instead;</li>
 *   <li>{@code GET /console/login} ({@code console-login-page}): the login page, the one file served
 *       without a session;</li>
 *   <li>{@code POST /console/login} ({@code console-login}), {@code POST /console/logout}
 *       ({@code console-logout}): open and end a session (cookie {@code gamewire_console});</li>
 *   <li>{@code GET /console/assets/{asset}} ({@code console-asset}): the page's script, styles and
 *       uPlot, behind {@code adminAuthorization} (401 without a session).</li>
 * </ul>
 * The page itself calls the admin API ({@link AdminRoutes}) with its session cookie.
 */
public class ConsoleRoutes extends RouteBuilder {

    @Override
    public void configure() {
        rest("/console")
                .get().id("rest-console-page").to("direct:console-page")
                .get("/login").id("rest-console-login-page").to("direct:console-login-page")
                .post("/login").id("rest-console-login").to("direct:console-login")
                .post("/logout").id("rest-console-logout").to("direct:console-logout")
                .get("/assets/{asset}").id("rest-console-asset").to("direct:console-asset");

        from("direct:console-page").routeId("console-page").routeConfigurationId(HttpApiErrors.ID)
                .process("consolePageGate").id("console-page.require-session")
                .process("consolePage").id("console-page.serve-page");
        consoleRoute("console-login-page", "consoleLoginPage", "serve-login-page");
        consoleRoute("console-login", "consoleLogin", "log-in");
        consoleRoute("console-logout", "consoleLogout", "log-out");
        from("direct:console-asset").routeId("console-asset").routeConfigurationId(HttpApiErrors.ID)
                .process("adminAuthorization").id("console-asset.authorize-admin")
                .process("consoleAsset").id("console-asset.serve-asset");
    }

    /** A console route of one step that needs no session (the login page, logging in and out). */
    private void consoleRoute(String routeId, String stepBean, String step) {
        from("direct:" + routeId).routeId(routeId).routeConfigurationId(HttpApiErrors.ID)
                .process(stepBean).id(routeId + "." + step);
    }
}
