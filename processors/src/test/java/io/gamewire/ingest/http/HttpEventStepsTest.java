package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class HttpEventStepsTest {

    private final HttpEventSteps steps = new HttpEventSteps(null, null, new BatchPublishing(new ObjectMapper(), null, null));

    @Test
    void aBatchIsAnsweredWithItsCountsAndOneResultPerEventInItsOrder() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Authorization", "Bearer secret");
        exchange.getMessage().setBody(BatchPublishingTest.RESULTS);

        steps.answerResults().process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(exchange.getMessage().getHeader("Authorization")).as("the request's headers are dropped").isNull();
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo(BatchPublishingTest.RESULTS_BODY);
    }
}
