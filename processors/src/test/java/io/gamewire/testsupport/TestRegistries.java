package io.gamewire.testsupport;

import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.TitleTables;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Path;
import javax.sql.DataSource;

/** Title registries over a folder of a test's title files, nothing loaded yet ({@link TitleRegistry#reload()}). */
public final class TestRegistries {

    private TestRegistries() {
    }

    /** A registry that makes each title's tables in {@code dataSource} as it takes the title in. */
    public static TitleRegistry applyingTables(Path titles, DataSource dataSource) {
        TitleTables tables = new TitleTables(dataSource);
        return new TitleRegistry(titles, new TitleRegistry.Applier() {
            @Override
            public void apply(TitleDefinition previous, TitleDefinition next) throws Exception {
                tables.apply(next);
            }

            @Override
            public void remove(TitleDefinition previous) {
            }
        });
    }

    /** A registry that only reads the files: no tables, nothing else applied. */
    public static TitleRegistry applyingNothing(Path titles) {
        return new TitleRegistry(titles, new TitleRegistry.Applier() {
            @Override
            public void apply(TitleDefinition previous, TitleDefinition next) {
            }

            @Override
            public void remove(TitleDefinition previous) {
            }
        });
    }
}
