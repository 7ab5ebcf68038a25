package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.capacity.CapacityFakes;
import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.plan.CapacityPlans;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admin API's capacity calls on a running gamewire: the admin token; 503 naming the archive or the planner
 * while no bean {@code usageArchive} or {@code capacityPlanner} is bound (until the archive and the planner
 * run in the application, that is what a start gives, and the test asserts it only then); then with in-memory
 * stand-ins bound into the registry, which the calls look up on every request: the report, the picture,
 * the list, a 404 for an unknown service and a 400 naming a parameter out of its limits.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CapacityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "halo.prod.stats";
    private static GamewireUnderTest gw;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.admin.token", "admin-" + gw.id);
        gw.overrides.put("gamewire.ops.camel-cli.enabled", "false");
        gw.start();
        admin = "Bearer admin-" + gw.id;
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static <T> HttpResponse<T> call(String method, String path, String authorization,
            HttpResponse.BodyHandler<T> body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return gw.http().send(request.build(), body);
    }

    private static HttpResponse<String> call(String method, String path) throws Exception {
        return call(method, path, admin, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void everyCallNeedsTheAdminToken() throws Exception {
        for (String[] call : new String[][] {{"GET", "/v1/admin/capacity"}, {"GET", "/v1/admin/capacity/" + SERVICE},
                {"GET", "/v1/admin/capacity/" + SERVICE + ".png"}, {"POST", "/v1/admin/capacity/" + SERVICE + "/fit"}}) {
            HttpResponse<String> answer = call(call[0], call[1], null, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(call[0] + " " + call[1]).isEqualTo(401);
        }
    }

    @Test
    @Order(2)
    void withoutTheArchiveAndThePlannerTheCallsAre503NamingWhatIsOff() throws Exception {
        if (gw.bean("capacityPlanner", CapacityPlans.class) == null) {
            HttpResponse<String> list = call("GET", "/v1/admin/capacity");
            assertThat(list.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(list.body()).path("message").asText()).contains("capacity planner is off",
                    "capacityPlanner");
        }
        if (gw.bean("usageArchive", UsageArchive.class) == null) {
            for (String[] call : new String[][] {{"GET", "/v1/admin/capacity/" + SERVICE},
                    {"GET", "/v1/admin/capacity/" + SERVICE + ".png"}, {"POST", "/v1/admin/capacity/" + SERVICE + "/fit"}}) {
                HttpResponse<String> answer = call(call[0], call[1]);
                assertThat(answer.statusCode()).as(call[0] + " " + call[1]).isEqualTo(503);
                assertThat(JSON.readTree(answer.body()).path("message").asText()).contains("usage archive is off",
                        "usageArchive");
            }
        }
    }

    @Test
    @Order(3)
    void withAnArchiveBoundTheReportAndThePictureAreServed() throws Exception {
        bindStandIns(gw, SERVICE);

        HttpResponse<String> report = call("GET", "/v1/admin/capacity/" + SERVICE + "?hours=12");
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(report.body());
        assertThat(body.path("service").asText()).isEqualTo(SERVICE);
        assertThat(body.path("forecast")).hasSize(12);
        assertThat(body.path("peak").path("at").asText()).isNotEmpty();
        assertThat(body.path("decision").path("planned").asInt()).isEqualTo(4);

        HttpResponse<byte[]> png = call("GET", "/v1/admin/capacity/" + SERVICE + ".png?width=640&height=240", admin,
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("image/png"));
        assertThat(Arrays.copyOf(png.body(), 4)).containsExactly((byte) 0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(240);

        JsonNode list = JSON.readTree(call("GET", "/v1/admin/capacity").body());
        assertThat(list.at("/services/0/service").asText()).isEqualTo(SERVICE);
    }

    @Test
    @Order(4)
    void anUnknownServiceIs404AndABadParameter400() throws Exception {
        bindStandIns(gw, SERVICE);

        HttpResponse<String> unknown = call("GET", "/v1/admin/capacity/halo.prod.nope.png");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("message").asText())
                .isEqualTo("the usage archive has no series 'halo.prod.nope'");

        HttpResponse<String> wide = call("GET", "/v1/admin/capacity/" + SERVICE + ".png?width=5000");
        assertThat(wide.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wide.body()).path("message").asText())
                .isEqualTo("parameter 'width' must be a whole number from 200 to 2000, was '5000'");
    }

    /**
     * An archive of four days of 1 min rows ending now, bound over gamewire's own (whose sampler only
     * archives the titles in force, which have no such series; the calls look the bean up each time),
     * and one decision, bound over gamewire's planner likewise.
     */
    static void bindStandIns(GamewireUnderTest gw, String service) {
        UsageArchive archive = gw.bean("usageArchive", UsageArchive.class);
        if (!(archive instanceof CapacityFakes.Archive)) {
            // the registry keeps a bean per name and type: unbound first, so the lookup finds the stand-in
            gw.camel().getRegistry().unbind("usageArchive");
            gw.camel().getRegistry().bind("usageArchive", new CapacityFakes.Archive()
                    .with(CapacityFakes.periodicEndingAt(service, 4, 21, Instant.now().getEpochSecond())));
        }
        if (!(gw.bean("capacityPlanner", CapacityPlans.class) instanceof CapacityFakes.Plans)) {
            // over the application's planner too, which has decided nothing for the fixture's service
            gw.camel().getRegistry().unbind("capacityPlanner");
            gw.camel().getRegistry().bind("capacityPlanner", new CapacityFakes.Plans()
                    .with(CapacityFakes.decision(service, Instant.now(), 2, 4)));
        }
    }
}
