package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.capacity.CapacityAdmin;
import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.plan.CapacityPlanner;
import io.gamewire.capacity.plan.CapacityPlans;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.TitleDefinition;
import java.time.Clock;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The admin API's capacity calls ({@link CapacityAdmin}): {@code capacityList}, {@code capacityService} (the
 * report, or the picture for a name ending {@code .png}) and {@code capacityFit}. The usage archive
 * ({@code usageArchive}) and the planner ({@code capacityPlanner}) are looked up in the registry on each call,
 * not here: they are optional, so the calls answer 503 naming the missing one. The report's clock is
 * {@code capacityClock}, so this class comes after {@link CapacityConfiguration}, which binds it.
 */
public class CapacityAdminConfiguration extends AreaConfiguration {

    /** The registry names of what the calls read. */
    public static final String ARCHIVE = "usageArchive";
    public static final String PLANS = "capacityPlanner";

    @Override
    public void configure(CamelContext camel) throws Exception {
        ObjectMapper json = bean(camel, "json", ObjectMapper.class);
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        Registry registry = camel.getRegistry();
        CapacityAdmin capacity = new CapacityAdmin(json,
                () -> Optional.ofNullable(registry.lookupByNameAndType(ARCHIVE, UsageArchive.class)),
                () -> Optional.ofNullable(registry.lookupByNameAndType(PLANS, CapacityPlans.class)),
                service -> titleParameters(titles, service), bean(camel, "capacityClock", Clock.class));
        registry.bind("capacityList", capacity.list());
        registry.bind("capacityService", capacity.service());
        registry.bind("capacityFit", capacity.fit());
    }

    /** The forecast parameters of the title in force that {@code title.env.service} belongs to, as the planner uses them. */
    private static HoltWintersParameters titleParameters(TitleRegistry titles, String service) {
        TitleDefinition title = titles.titles().get(service.substring(0, Math.max(0, service.indexOf('.'))));
        return title == null ? CapacityAdmin.defaultParameters(service) : CapacityPlanner.parameters(title.capacity());
    }
}
