package io.gamewire.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterAdminTest {

    @Test
    void aDatabasesQuotedValuesAreMaskedInTheReason() {
        assertThat(DeadLetterAdmin.shownReason("Value too long for column \"EMAIL CHARACTER VARYING(128)\":"
                + " \"'ada@example.org' (200)\"", "java.sql.BatchUpdateException"))
                .isEqualTo("Value too long for column \"EMAIL CHARACTER VARYING(128)\": \"'***' (200)\"");
        assertThat(DeadLetterAdmin.shownReason("Incorrect integer value: 'ada' for column 'points'",
                "org.h2.jdbc.JdbcSQLDataException")).isEqualTo("Incorrect integer value: '***' for column '***'");
    }

    @Test
    void otherReasonsAreShownAsTheyAre() {
        assertThat(DeadLetterAdmin.shownReason("payload field 'email' must be string, is number",
                "io.gamewire.pulls.ItemRefusedException")).isEqualTo("payload field 'email' must be string, is number");
    }
}
