package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TitleRegistryTest {

    private static final String TITLE = """
            title: %s
            environments: [prod]
            services:
              s:
                prefetch: %d
                commands: {c: {}}
            """;

    @TempDir
    Path dir;

    private final List<String> applied = new ArrayList<>();
    private boolean refuse;


    private TitleRegistry registry() {
        return new TitleRegistry(dir, new TitleRegistry.Applier() {
            @Override
            public void apply(TitleDefinition previous, TitleDefinition next) throws Exception {
                if (refuse) {
                    throw new Exception("table change refused");
                }
                applied.add((previous == null ? "add " : "change ") + next.title() + " prefetch "
                        + next.services().get("s").prefetch());
            }

            @Override
            public void remove(TitleDefinition previous) {
                applied.add("remove " + previous.title());
            }
        });
    }

    private void write(String title, int prefetch) throws Exception {
        Files.writeString(dir.resolve(title + ".yaml"), TITLE.formatted(title, prefetch));
    }

    @Test
    void addsChangesAndRemovesTitlesAsTheirFilesDo() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);
        write("b", 10);
        assertThat(titles.reload().added()).containsExactly("a", "b");

        write("a", 20);
        TitleRegistry.Report change = titles.reload();
        assertThat(change.changed()).containsExactly("a");
        assertThat(titles.reload().changedAnything()).as("an unchanged folder changes nothing").isFalse();

        Files.delete(dir.resolve("b.yaml"));
        assertThat(titles.reload().removed()).containsExactly("b");
        assertThat(applied).containsExactly("add a prefetch 10", "add b prefetch 10", "change a prefetch 20", "remove b");
        assertThat(titles.command(RoutingKey.parse("a.prod.s.c"))).isPresent();
        assertThat(titles.command(RoutingKey.parse("b.prod.s.c"))).isEmpty();
    }

    @Test
    void aBrokenFileKeepsTheLastGoodVersionAndTouchesNoOtherTitle() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);
        write("b", 10);
        titles.reload();

        Files.writeString(dir.resolve("a.yaml"), "title: a\nenvironments: [prod\n");
        write("b", 30);
        TitleRegistry.Report report = titles.reload();

        assertThat(report.problems()).singleElement().asString().contains("a.yaml").contains("YAML syntax");
        assertThat(report.changed()).containsExactly("b");
        assertThat(titles.titles().get("a").services().get("s").prefetch()).isEqualTo(10);
        assertThat(titles.titles()).containsKeys("a", "b");
    }

    @Test
    void aRefusedChangeKeepsTheLastGoodVersionUntilTheFileChangesAgain() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);
        titles.reload();

        refuse = true;
        write("a", 20);
        assertThat(titles.reload().refused()).singleElement().asString().contains("table change refused");
        assertThat(titles.reload().refused()).singleElement().asString().contains("is still refused");
        assertThat(titles.titles().get("a").services().get("s").prefetch()).isEqualTo(10);

        refuse = false;
        write("a", 30);
        assertThat(titles.reload().changed()).containsExactly("a");
    }

    @Test
    void twoFilesForOneTitleRefuseTheSecond() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);
        Files.writeString(dir.resolve("a.yml"), TITLE.formatted("a", 10));

        TitleRegistry.Report report = titles.reload();

        assertThat(report.added()).containsExactly("a");
        assertThat(report.problems()).singleElement().asString().contains("title 'a' is also defined in");
    }
}
