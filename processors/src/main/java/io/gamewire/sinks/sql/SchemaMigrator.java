package io.gamewire.sinks.sql;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and migrates gamewire's tables with Flyway, from the scripts in
 * {@code classpath:db/migration}; the same scripts run on H2 (MySQL mode) and MySQL/MariaDB.
 */
public final class SchemaMigrator {

    private SchemaMigrator() {
    }

    /** Applies every pending migration; returns how many were applied. */
    public static int migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table("gamewire_schema_history")
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
