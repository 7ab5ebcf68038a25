package io.gamewire.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

class TemplateStepFlagsTest {

    /** A template: a step outside the error handler, then a choice with one such step in a branch. */
    private static RouteBuilder template() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                RouteDefinition route = routeTemplate("t").templateParameter("name")
                        .from("direct:{{name}}")
                        .log("set-up").id("set-up");
                route.getOutputs().get(0).setInheritErrorHandler(false);
                route.choice()
                        .when(simple("${body} == 'a'")).log("branch").id("branch")
                        .otherwise().log("other").id("other")
                        .end();
                ChoiceDefinition choice = (ChoiceDefinition) route.getOutputs().get(1);
                choice.getWhenClauses().get(0).getOutputs().get(0).setInheritErrorHandler(false);
            }
        };
    }

    private static RouteDefinition routeMade(boolean keepFlags) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(template());
            if (keepFlags) {
                TemplateStepFlags.keepFor(camel, "t");
            }
            TemplatedRouteBuilder.builder(camel, "t").routeId("r").parameter("name", "in").add();
            return ((ModelCamelContext) camel).getRouteDefinition("r");
        }
    }

    /** The step named {@code id}, at any depth; the test fails when there is none. */
    private static ProcessorDefinition<?> step(List<ProcessorDefinition<?>> steps, String id) {
        ProcessorDefinition<?> found = find(steps, id);
        assertThat(found).as("step " + id).isNotNull();
        return found;
    }

    private static ProcessorDefinition<?> find(List<ProcessorDefinition<?>> steps, String id) {
        for (ProcessorDefinition<?> step : steps) {
            if (id.equals(step.getId())) {
                return step;
            }
            ProcessorDefinition<?> nested = find(step.getOutputs(), id);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    private static Boolean flag(List<ProcessorDefinition<?>> steps, String id) {
        return step(steps, id).getInheritErrorHandler();
    }

    @Test
    void theRouteKeepsEachStepsFlagAsTheTemplateSetsIt() throws Exception {
        RouteDefinition route = routeMade(true);

        assertThat(flag(route.getOutputs(), "set-up")).isFalse();
        assertThat(flag(route.getOutputs(), "branch")).as("in a choice's branch").isFalse();
        assertThat(flag(route.getOutputs(), "other")).as("not set in the template").isNull();
    }

    @Test
    void camelAloneDropsTheFlag() throws Exception {
        // why the converter exists: if a Camel upgrade keeps the flag itself, this fails and it can go
        RouteDefinition route = routeMade(false);

        assertThat(flag(route.getOutputs(), "set-up")).isNull();
    }
}
