package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.MessageHelper;
import org.apache.camel.support.processor.DefaultExchangeFormatter;
import org.junit.jupiter.api.Test;

class BearerAuthorizationTest {

    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void theKeyIsTakenOffTheMessageAtTheFirstReadAndStillThereForTheNext() {
        exchange.getMessage().setHeader("Authorization", "Bearer key-1234567890");

        assertThat(BearerAuthorization.presentedKey(exchange)).isEqualTo("key-1234567890");

        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey("Authorization");
        assertThat(BearerAuthorization.presentedKey(exchange)).as("read again").isEqualTo("key-1234567890");
    }

    /** What Camel dumps of an exchange a forced stop interrupts: its headers, in full. */
    @Test
    void aDumpOfTheExchangeAfterTheReadHoldsNoKey() {
        exchange.getMessage().setHeader("Authorization", "Bearer key-1234567890");
        exchange.getMessage().setHeader("Content-Type", "application/json");
        BearerAuthorization.presentedKey(exchange);

        DefaultExchangeFormatter formatter = new DefaultExchangeFormatter();
        formatter.setShowHeaders(true);
        formatter.setShowExchangeId(true);
        String dump = formatter.format(exchange);

        assertThat(dump).contains("Content-Type").doesNotContain("key-1234567890");
        assertThat(MessageHelper.dumpAsJSon(exchange.getMessage())).doesNotContain("key-1234567890");
    }

    @Test
    void noHeaderNoKey() {
        assertThat(BearerAuthorization.presentedKey(exchange)).isNull();
        exchange.getMessage().setHeader("Authorization", "Basic dTpw");
        assertThat(BearerAuthorization.presentedKey(exchange)).as("not a bearer").isNull();
        assertThat(BearerAuthorization.authorization(exchange)).as("kept for the Basic reader").isEqualTo("Basic dTpw");
    }
}
