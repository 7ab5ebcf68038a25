package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.protocol.RoutingKey;
import io.gamewire.testsupport.TitleFixtures;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TitleRegistryTest {

    @TempDir
    Path dir;

    private final List<String> applied = new ArrayList<>();
    private boolean refuse;
    private boolean consumersFail;
    private final List<String> keptRunning = new ArrayList<>();
    private TitleRegistry registry;


    private TitleRegistry registry() {
        registry = new TitleRegistry(dir, new TitleRegistry.Applier() {
            @Override
            public void apply(TitleDefinition previous, TitleDefinition next) throws Exception {
                if (refuse) {
                    throw new Exception("table change refused");
                }
                applied.add((previous == null ? "add " : "change ") + next.title() + " prefetch "
                        + next.services().get("s").prefetch());
            }

            @Override
            public void inForce(TitleDefinition previous, TitleDefinition next) {
                if (consumersFail) {
                    throw new IllegalStateException("consumer route store-" + next.title() + ".prod.s did not start");
                }
                // what a consumer started now would see
                applied.add("in force " + next.title() + ", titles " + new java.util.TreeSet<>(registry.titles().keySet())
                        + ", " + next.title() + ".prod.s.c stores by " + registry.commandToStore(
                        RoutingKey.parse(next.title() + ".prod.s.c")).name());
            }

            @Override
            public void keepRunning(TitleDefinition title) {
                keptRunning.add(title.title());
            }

            @Override
            public void remove(TitleDefinition previous) {
                applied.add("remove " + previous.title());
            }
        });
        return registry;
    }

    /** Fixture one-command: title {@code title}, service s with {@code prefetch}, command c. */
    private static String title(String title, int prefetch) {
        return TitleFixtures.read("one-command", Map.of("title", title, "prefetch", Integer.toString(prefetch)));
    }

    private void write(String title, int prefetch) throws Exception {
        Files.writeString(dir.resolve(title + ".yaml"), title(title, prefetch));
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
        assertThat(applied).containsExactly("add a prefetch 10", "add b prefetch 10",
                "in force a, titles [a, b], a.prod.s.c stores by c", "in force b, titles [a, b], b.prod.s.c stores by c",
                "change a prefetch 20", "in force a, titles [a, b], a.prod.s.c stores by c", "remove b");
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
        Files.writeString(dir.resolve("a.yml"), title("a", 10));

        TitleRegistry.Report report = titles.reload();

        assertThat(report.added()).containsExactly("a");
        assertThat(report.problems()).singleElement().asString().contains("title 'a' is also defined in");
    }

    @Test
    void nothingIsStoredByATitleBeforeTheFirstLoadHasFinished() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);

        assertThat(titles.loaded()).isFalse();
        assertThatThrownBy(() -> titles.commandToStore(RoutingKey.parse("a.prod.s.c")))
                .isInstanceOf(TitleNotInForceException.class).hasMessageContaining("still being loaded");
        titles.reload();
        assertThat(titles.loaded()).isTrue();
        assertThat(titles.commandToStore(RoutingKey.parse("a.prod.s.c")).name()).isEqualTo("c");
    }

    @Test
    void aCommandNoTitleDefinesIsNamedWithItsTitleFileAndIsNeverStoredQuietly() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);
        titles.reload();

        assertThatThrownBy(() -> titles.commandToStore(RoutingKey.parse("a.prod.s.gone")))
                .isInstanceOf(CommandNotDefinedException.class)
                .hasMessageContaining("routing key a.prod.s.gone")
                .hasMessageContaining(dir.resolve("a.yaml").toString())
                .hasMessageContaining("no command 'gone' in service 's' (commands: c)");
        assertThatThrownBy(() -> titles.commandToStore(RoutingKey.parse("a.prod.other.c")))
                .as("a service not in force keeps its queue's events").isInstanceOf(TitleNotInForceException.class);
        assertThatThrownBy(() -> titles.commandToStore(RoutingKey.parse("z.prod.s.c")))
                .isInstanceOf(TitleNotInForceException.class).hasMessageContaining("title 'z' is not in force");
    }

    @Test
    void whileATitlesFileHasProblemsAnUnknownCommandGoesBackToItsQueueNotToTheDeadLetters() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);
        titles.reload();
        Files.writeString(dir.resolve("a.yaml"), "title: a\nenvironments: [prod\n");
        titles.reload();

        assertThat(titles.commandToStore(RoutingKey.parse("a.prod.s.c")).name()).as("the last good version").isEqualTo("c");
        assertThatThrownBy(() -> titles.commandToStore(RoutingKey.parse("a.prod.s.added")))
                .isInstanceOf(TitleNotInForceException.class).hasMessageContaining("its file has problems: " + dir.resolve("a.yaml"));

        refuse = true;
        write("a", 20);
        titles.reload();
        assertThatThrownBy(() -> titles.commandToStore(RoutingKey.parse("a.prod.s.added")))
                .isInstanceOf(TitleNotInForceException.class).hasMessageContaining("was refused: table change refused");

        refuse = false;
        write("a", 30);
        titles.reload();
        assertThatThrownBy(() -> titles.commandToStore(RoutingKey.parse("a.prod.s.added")))
                .as("the file in force as written").isInstanceOf(CommandNotDefinedException.class);
    }

    /** Fixture shared-table: title {@code title} whose command s.c writes table rows keyed by {@code key}. */
    private void writeRows(String title, int prefetch, String key, String columns) throws Exception {
        Files.writeString(dir.resolve(title + ".yaml"), TitleFixtures.read("shared-table", Map.of("title", title,
                "prefetch", Integer.toString(prefetch), "key", key, "columns", columns)));
    }

    private static final String POINTS = "points: {type: int, from: $.points}";
    private static final String POINTS_AND_BONUS = POINTS + "\nbonus: {type: int, from: $.bonus}";

    private Set<String> columnsOfRows(String title) {
        return registry.titles().get(title).services().get("s").commands().get("c").sql().columns().keySet();
    }

    @Test
    void aChangeThatWouldDeclareATableOfAnotherTitleOtherwiseIsRefusedAndTheOtherTitleIsUntouched() throws Exception {
        TitleRegistry titles = registry();
        writeRows("a", 10, "id", POINTS);
        writeRows("b", 10, "id", POINTS);
        assertThat(titles.reload().added()).containsExactly("a", "b");

        writeRows("b", 10, "id", POINTS_AND_BONUS);
        TitleRegistry.Report widened = titles.reload();

        assertThat(widened.changedAnything()).as("b would have widened a's table").isFalse();
        assertThat(widened.problems()).singleElement().asString().startsWith(dir.resolve("b.yaml").toString())
                .contains("table 'rows' is also declared, with other columns or key, by " + dir.resolve("a.yaml")
                        + " (services.s.commands.c.sql)");
        assertThat(columnsOfRows("b")).as("b's last good version stays").containsExactly("id", "points");
        assertThatThrownBy(() -> titles.commandToStore(RoutingKey.parse("b.prod.s.added")))
                .isInstanceOf(TitleNotInForceException.class).hasMessageContaining("was refused: table 'rows'");

        writeRows("a", 20, "id", POINTS);
        TitleRegistry.Report otherEdit = titles.reload();
        assertThat(otherEdit.changed()).as("a's edits are not refused for b's").containsExactly("a");
        assertThat(otherEdit.problems()).as("b is still refused").singleElement().asString().contains("b.yaml");

        writeRows("a", 20, "id", POINTS_AND_BONUS);
        TitleRegistry.Report together = titles.reload();
        assertThat(together.changed()).as("files that change together are checked together").containsExactly("a", "b");
        assertThat(together.problems()).isEmpty();
        assertThat(columnsOfRows("a")).containsExactly("id", "points", "bonus");
        assertThat(columnsOfRows("b")).containsExactly("id", "points", "bonus");
    }

    @Test
    void aNewTitleThatDeclaresATableOtherwiseIsNotAddedAndTwoChangesThatDisagreeAreBothRefused() throws Exception {
        TitleRegistry titles = registry();
        writeRows("a", 10, "id", POINTS);
        writeRows("b", 10, "id", POINTS);
        titles.reload();

        writeRows("c", 10, "id, points", POINTS);
        TitleRegistry.Report newTitle = titles.reload();
        assertThat(newTitle.added()).isEmpty();
        assertThat(newTitle.problems()).singleElement().asString().startsWith(dir.resolve("c.yaml").toString())
                .contains("by " + dir.resolve("a.yaml"));
        assertThat(titles.titles()).containsOnlyKeys("a", "b");
        Files.delete(dir.resolve("c.yaml"));

        writeRows("a", 10, "id", POINTS_AND_BONUS);
        writeRows("b", 10, "id", POINTS + "\nstreak: {type: int, from: $.streak}");
        TitleRegistry.Report disagree = titles.reload();
        assertThat(disagree.changedAnything()).isFalse();
        assertThat(disagree.problems()).extracting(problem -> problem.file().getFileName().toString())
                .containsExactlyInAnyOrder("a.yaml", "b.yaml");
        assertThat(columnsOfRows("a")).containsExactly("id", "points");
        assertThat(columnsOfRows("b")).containsExactly("id", "points");
        assertThat(applied).as("nothing reached the tables").containsOnly("add a prefetch 10", "add b prefetch 10",
                "in force a, titles [a, b], a.prod.s.c stores by c", "in force b, titles [a, b], b.prod.s.c stores by c");
    }

    @Test
    void ofThreeNewTitlesOnANewTableTheOneThatDeclaresItOtherwiseIsRefusedAndTheTwoThatAgreeAreAdded()
            throws Exception {
        TitleRegistry titles = registry();
        writeRows("a", 10, "id", POINTS);
        writeRows("b", 10, "id", POINTS);
        writeRows("c", 10, "id", POINTS_AND_BONUS);

        TitleRegistry.Report report = titles.reload();

        assertThat(report.added()).containsExactly("a", "b");
        assertThat(report.problems()).singleElement().asString().startsWith(dir.resolve("c.yaml").toString())
                .contains("by " + dir.resolve("a.yaml"));
        assertThat(columnsOfRows("a")).containsExactly("id", "points");
    }

    @Test
    void fourNewTitlesDeclaringANewTableTwoWaysTwoEachAreAllRefusedEachNamingOneThatDeclaresItOtherwise()
            throws Exception {
        TitleRegistry titles = registry();
        writeRows("a", 10, "id", POINTS);
        writeRows("b", 10, "id", POINTS_AND_BONUS);
        writeRows("c", 10, "id", POINTS_AND_BONUS);
        writeRows("d", 10, "id", POINTS);

        TitleRegistry.Report report = titles.reload();

        assertThat(report.added()).isEmpty();
        assertThat(report.problems()).extracting(problem -> problem.file().getFileName() + " names "
                        + problem.toString().replaceAll(".*declared, with other columns or key, by .*/(\\w\\.yaml).*", "$1"))
                .containsExactlyInAnyOrder("a.yaml names b.yaml", "b.yaml names a.yaml", "c.yaml names a.yaml",
                        "d.yaml names b.yaml");
    }

    @Test
    void twoTitlesChangingTheirTableTogetherAreTakenAndANewTitleDeclaringItAThirdWayIsRefused() throws Exception {
        TitleRegistry titles = registry();
        writeRows("a", 10, "id", POINTS);
        writeRows("b", 10, "id", POINTS);
        titles.reload();

        writeRows("a", 10, "id", POINTS_AND_BONUS);
        writeRows("b", 10, "id", POINTS_AND_BONUS);
        writeRows("c", 10, "id", POINTS + "\nstreak: {type: int, from: $.streak}");
        TitleRegistry.Report report = titles.reload();

        assertThat(report.changed()).containsExactly("a", "b");
        assertThat(report.added()).isEmpty();
        assertThat(report.problems()).singleElement().asString().startsWith(dir.resolve("c.yaml").toString());
        assertThat(columnsOfRows("a")).containsExactly("id", "points", "bonus");
        assertThat(columnsOfRows("b")).containsExactly("id", "points", "bonus");
    }

    @Test
    void aVersionTheApplierRefusedIsNotWhatANewTitleIsCheckedAgainst() throws Exception {
        TitleRegistry titles = registry();
        writeRows("a", 10, "id", POINTS);
        titles.reload();
        refuse = true;
        writeRows("a", 10, "id", POINTS_AND_BONUS);
        assertThat(titles.reload().refused()).singleElement().asString().contains("table change refused");
        refuse = false;

        writeRows("b", 10, "id", POINTS_AND_BONUS);
        TitleRegistry.Report report = titles.reload();

        assertThat(report.added()).as("a still serves its table without bonus").isEmpty();
        assertThat(report.problems()).singleElement().asString().startsWith(dir.resolve("b.yaml").toString())
                .contains("by " + dir.resolve("a.yaml"));
        assertThat(columnsOfRows("a")).containsExactly("id", "points");
    }

    @Test
    void aDanglingLinkOrADirectoryNamedLikeATitleFileIsAProblemNotARemovedTitle() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);
        titles.reload();

        Files.delete(dir.resolve("a.yaml"));
        Files.createSymbolicLink(dir.resolve("a.yaml"), dir.resolve("gone.yaml"));
        Files.createDirectory(dir.resolve("z.yaml"));
        TitleRegistry.Report report = titles.reload();

        assertThat(report.removed()).as("a half-made deployment does not remove a title").isEmpty();
        assertThat(report.problems()).extracting(Object::toString).satisfiesExactlyInAnyOrder(
                a -> assertThat(a).startsWith(dir.resolve("a.yaml").toString()).contains("symbolic link to")
                        .contains("which does not exist"),
                z -> assertThat(z).startsWith(dir.resolve("z.yaml").toString()).contains("it is a directory"));
        assertThat(titles.commandToStore(RoutingKey.parse("a.prod.s.c")).name()).as("the last good version").isEqualTo("c");
    }

    @Test
    void aTitleWhoseConsumersFailToStartStaysInForceIsReportedAndIsKeptRunningAtEveryReload() throws Exception {
        TitleRegistry titles = registry();
        write("a", 10);
        consumersFail = true;

        TitleRegistry.Report report = titles.reload();

        assertThat(report.added()).containsExactly("a");
        assertThat(report.refused()).singleElement().asString()
                .contains("title a is in force but not all its consumers or pulls started")
                .contains("store-a.prod.s did not start");
        assertThat(titles.commandToStore(RoutingKey.parse("a.prod.s.c")).name()).isEqualTo("c");
        assertThat(keptRunning).as("nothing unchanged yet").isEmpty();

        titles.reload();
        assertThat(keptRunning).as("the next reload starts what is missing").containsExactly("a");
    }
}
