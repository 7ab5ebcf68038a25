package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class QuartzJobStoreTest {

    @Test
    void theDdlIsQuartzsOwnWithoutItsDrops() throws Exception {
        List<String> statements = QuartzJobStore.statements(QuartzJobStore.MYSQL_DDL);

        assertThat(statements).noneMatch(s -> s.toUpperCase().startsWith("DROP"));
        assertThat(statements).anyMatch(s -> s.startsWith("CREATE TABLE QRTZ_LOCKS"));
        assertThat(statements).anyMatch(s -> s.startsWith("CREATE TABLE QRTZ_FIRED_TRIGGERS"));
        assertThat(statements).allMatch(s -> !s.isBlank() && !s.contains("#"));
    }

    /**
     * The prod profile pointed at H2 (as the benchmarks do): with the MySQL DDL, H2 refused the
     * job's {@code IS_DURABLE} ("Value too long ... FALSE") and gamewire did not start.
     */
    @Test
    void onH2TheClusteredStoreKeepsAJobInTablesMadeFromQuartzsH2Ddl() throws Exception {
        String url = "jdbc:h2:mem:quartz-" + System.nanoTime() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");

        assertThat(QuartzJobStore.createTables(h2)).isPositive();
        assertThat(QuartzJobStore.createTables(h2)).isZero();

        org.quartz.Scheduler scheduler = new org.quartz.impl.StdSchedulerFactory(
                QuartzJobStore.properties("jdbc", 1, url, "sa", "", 5000)).getScheduler();
        try {
            scheduler.addJob(org.quartz.JobBuilder.newJob(NoJob.class).withIdentity("kept").storeDurably().build(), false);
            assertThat(scheduler.checkExists(org.quartz.JobKey.jobKey("kept"))).isTrue();
            // Quartz handed the pool its connection timeout (it bounds a stop with the database gone)
            org.quartz.utils.HikariCpPoolingConnectionProvider pool = (org.quartz.utils.HikariCpPoolingConnectionProvider)
                    providerOf(org.quartz.utils.DBConnectionManager.getInstance(), "gamewire");
            assertThat(pool.getDataSource().getConnectionTimeout()).isEqualTo(QuartzJobStore.CONNECTION_TIMEOUT_MS);
        } finally {
            scheduler.shutdown();
        }
    }

    /** DBConnectionManager keeps its providers to itself. */
    private static org.quartz.utils.ConnectionProvider providerOf(org.quartz.utils.DBConnectionManager manager,
                                                                   String name) throws Exception {
        java.lang.reflect.Field providers = org.quartz.utils.DBConnectionManager.class.getDeclaredField("providers");
        providers.setAccessible(true);
        return (org.quartz.utils.ConnectionProvider) ((java.util.Map<?, ?>) providers.get(manager)).get(name);
    }

    public static final class NoJob implements org.quartz.Job {
        @Override
        public void execute(org.quartz.JobExecutionContext context) {
        }
    }

    @Test
    void jdbcIsClusteredOnGamewiresDatabase() {
        Properties jdbc = QuartzJobStore.properties("jdbc", 3, "jdbc:mysql://db/gamewire", "gw", "secret", 5000);

        assertThat(jdbc.getProperty("org.quartz.jobStore.isClustered")).isEqualTo("true");
        assertThat(jdbc.getProperty("org.quartz.jobStore.class")).isEqualTo(JdbcJobStore.class.getName());
        assertThat(jdbc.getProperty("org.quartz.dataSource.gamewire.URL")).isEqualTo("jdbc:mysql://db/gamewire");
        assertThat(jdbc.getProperty("org.quartz.threadPool.threadCount")).isEqualTo("3");
        assertThat(jdbc.getProperty("org.quartz.dataSource.gamewire.connectionTimeout")).isEqualTo("5000");
        assertThat(jdbc.getProperty("org.quartz.dataSource.gamewire.driver")).isEqualTo("com.mysql.cj.jdbc.Driver");
        assertThat(QuartzJobStore.properties("ram", 1, null, null, null, 0).getProperty("org.quartz.jobStore.class"))
                .endsWith("RAMJobStore");
    }

    @Test
    void anUnknownStoreIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> QuartzJobStore.properties("disk", 1, null, null, null, 0))
                .hasMessageContaining("gamewire.pulls.job-store").hasMessageContaining("disk");
    }
}
