package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class QuartzJobStoreTest {

    @Test
    void theDdlIsQuartzsOwnWithoutItsDrops() throws Exception {
        List<String> statements = QuartzJobStore.statements();

        assertThat(statements).noneMatch(s -> s.toUpperCase().startsWith("DROP"));
        assertThat(statements).anyMatch(s -> s.startsWith("CREATE TABLE QRTZ_LOCKS"));
        assertThat(statements).anyMatch(s -> s.startsWith("CREATE TABLE QRTZ_FIRED_TRIGGERS"));
        assertThat(statements).allMatch(s -> !s.isBlank() && !s.contains("#"));
    }

    @Test
    void jdbcIsClusteredOnGamewiresDatabase() {
        Properties jdbc = QuartzJobStore.properties("jdbc", 3, "jdbc:mysql://db/gamewire", "gw", "secret", 5000);

        assertThat(jdbc.getProperty("org.quartz.jobStore.isClustered")).isEqualTo("true");
        assertThat(jdbc.getProperty("org.quartz.jobStore.class")).endsWith("JobStoreTX");
        assertThat(jdbc.getProperty("org.quartz.dataSource.gamewire.URL")).isEqualTo("jdbc:mysql://db/gamewire");
        assertThat(jdbc.getProperty("org.quartz.threadPool.threadCount")).isEqualTo("3");
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
