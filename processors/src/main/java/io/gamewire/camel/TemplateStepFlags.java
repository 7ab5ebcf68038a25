package io.gamewire.camel;

import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;

/**
 * Makes a route from a route template as Camel does, then gives each step back the
 * {@code inheritErrorHandler} it has in the template.
 *
 * <p>Why: Camel 4.17 copies the template's steps for every route it makes from it, and the copy
 * drops that flag ({@code ProcessorDefinition}'s copy constructor leaves it out). A step marked
 * {@code setInheritErrorHandler(false)} in a template was wrapped in the error handler anyway, and a
 * route whose error handler may redeliver copies the whole exchange (headers and properties) before
 * every wrapped step, to redeliver that step from the copy.
 */
public final class TemplateStepFlags implements RouteTemplateDefinition.Converter {

    private TemplateStepFlags() {
    }

    /** Routes made from the template {@code templateId} keep its steps' {@code inheritErrorHandler}. */
    public static void keepFor(CamelContext camel, String templateId) {
        camel.getCamelContextExtension().getContextPlugin(Model.class)
                .addRouteTemplateDefinitionConverter(templateId, new TemplateStepFlags());
    }

    @Override
    public RouteDefinition apply(RouteTemplateDefinition template, Map<String, Object> parameters) throws Exception {
        RouteDefinition route = DEFAULT_CONVERTER.apply(template, parameters);
        copyFlags(template.getRoute().getOutputs(), route.getOutputs());
        return route;
    }

    /** The copy has the template's shape, step for step; a branch whose shape differs is left as Camel made it. */
    private static void copyFlags(List<ProcessorDefinition<?>> from, List<ProcessorDefinition<?>> to) {
        if (from == null || to == null || from.size() != to.size()) {
            return;
        }
        for (int i = 0; i < from.size(); i++) {
            ProcessorDefinition<?> step = from.get(i);
            ProcessorDefinition<?> copy = to.get(i);
            if (step.getClass() != copy.getClass()) {
                continue;
            }
            if (step.getInheritErrorHandler() != null) {
                copy.setInheritErrorHandler(step.getInheritErrorHandler());
            }
            copyFlags(step.getOutputs(), copy.getOutputs());
        }
    }
}
