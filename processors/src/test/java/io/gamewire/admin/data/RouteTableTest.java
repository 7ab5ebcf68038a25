package io.gamewire.admin.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTableTest {

    @Test
    void whereARouteStartsIsShownWithoutItsSecrets() {
        assertThat(RouteTable.shownUri("sql:SELECT 1?password=hunter2&dataSource=#ds"))
                .isEqualTo("sql:SELECT 1?password=xxxxxx&dataSource=#ds");
        assertThat(RouteTable.shownUri("https://bob:hunter2@example.org/scores?token=t0k&apiKey=k3y&page=2"))
                .doesNotContain("hunter2", "t0k", "k3y").contains("bob:", "page=2");
        assertThat(RouteTable.shownUri("spring-rabbitmq:gamewire.events?queues=halo.prod.stats"))
                .isEqualTo("spring-rabbitmq:gamewire.events?queues=halo.prod.stats");
    }
}
