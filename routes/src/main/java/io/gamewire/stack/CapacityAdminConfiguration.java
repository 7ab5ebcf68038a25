package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.capacity.CapacityAdmin;
import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.plan.CapacityPlans;
import java.time.Clock;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The admin API's capacity calls ({@link CapacityAdmin}): {@code capacityList}, {@code capacityService} (the
 * report, or the picture for a name ending {@code .png}) and {@code capacityFit}. The usage archive
 * ({@code usageArchive}) and the planner ({@code capacityPlans}) are looked up in the registry on each call,
 * not here: they are optional, so the calls answer 503 naming the missing one, and whichever configuration
 * class binds them may come before or after this one.
 */
public class CapacityAdminConfiguration extends AreaConfiguration {

    /** The registry names of what the calls read. */
    public static final String ARCHIVE = "usageArchive";
    public static final String PLANS = "capacityPlans";

    @Override
    public void configure(CamelContext camel) throws Exception {
        ObjectMapper json = bean(camel, "json", ObjectMapper.class);
        Registry registry = camel.getRegistry();
        CapacityAdmin capacity = new CapacityAdmin(json,
                () -> Optional.ofNullable(registry.lookupByNameAndType(ARCHIVE, UsageArchive.class)),
                () -> Optional.ofNullable(registry.lookupByNameAndType(PLANS, CapacityPlans.class)),
                CapacityAdmin::defaultParameters, Clock.systemUTC());
        registry.bind("capacityList", capacity.list());
        registry.bind("capacityService", capacity.service());
        registry.bind("capacityFit", capacity.fit());
    }
}
