package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class HttpEventStepsTest {

    private final HttpEventSteps steps = new HttpEventSteps(new ObjectMapper(), null, null, null);

    @Test
    void aBatchsResultsAreDoneWhenEveryEventIsSettledAndTheLoopHasHandedOverItsLast() {
        HttpEventSteps.BatchResults results = new HttpEventSteps.BatchResults(3);
        HttpEventSteps.EventResult refused = HttpEventSteps.EventResult.refused(1,
                new RefusedException(Refusal.INVALID_EVENT, "line 2: \"bad\""), null);
        HttpEventSteps.EventResult second = HttpEventSteps.EventResult.accepted(2, "id-2");
        HttpEventSteps.EventResult first = HttpEventSteps.EventResult.accepted(0, "id-0");

        results.settle(refused);
        results.settle(second); // confirms come in any order
        results.settle(first);
        assertThat(results.done()).as("not before the loop has ended").isNotDone();
        results.allHandedOver();

        assertThat(results.done()).isCompletedWithValue(List.of(first, refused, second));
    }

    @Test
    void anEmptyBatchIsDoneOnceTheLoopEnds() {
        HttpEventSteps.BatchResults results = new HttpEventSteps.BatchResults(0);
        assertThat(results.done()).isNotDone();

        results.allHandedOver();

        assertThat(results.done()).isCompletedWithValue(List.of());
    }

    @Test
    void aBatchIsAnsweredWithItsCountsAndOneResultPerEventInItsOrder() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Authorization", "Bearer secret");
        exchange.getMessage().setBody(List.of(
                HttpEventSteps.EventResult.accepted(0, "0190b6c2-7f3e-7abc-8def-0123456789ab"),
                HttpEventSteps.EventResult.refused(1, new RefusedException(Refusal.INVALID_EVENT, "line 2: \"bad\""), null),
                HttpEventSteps.EventResult.refused(2, new RefusedException(Refusal.RATE_LIMITED, "slow down", 3, null),
                        "0190b6c2-7f3e-7abc-8def-0123456789ac"),
                new HttpEventSteps.EventResult(3, 500, "java.io.IOException: gone", 0,
                        "0190b6c2-7f3e-7abc-8def-0123456789ad"),
                new HttpEventSteps.EventResult(4, 503, null, 0, "0190b6c2-7f3e-7abc-8def-0123456789ae")));

        steps.answerResults().process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(exchange.getMessage().getHeader("Authorization")).as("the request's headers are dropped").isNull();
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("{\"accepted\":1,\"refused\":4,\"results\":["
                + "{\"index\":0,\"status\":202,\"messageId\":\"0190b6c2-7f3e-7abc-8def-0123456789ab\"},"
                + "{\"index\":1,\"status\":400,\"message\":\"line 2: \\\"bad\\\"\"},"
                + "{\"index\":2,\"status\":429,\"message\":\"slow down\",\"retryAfter\":3,"
                + "\"messageId\":\"0190b6c2-7f3e-7abc-8def-0123456789ac\"},"
                + "{\"index\":3,\"status\":500,\"message\":\"java.io.IOException: gone\","
                + "\"messageId\":\"0190b6c2-7f3e-7abc-8def-0123456789ad\"},"
                + "{\"index\":4,\"status\":503,\"message\":null,\"messageId\":\"0190b6c2-7f3e-7abc-8def-0123456789ae\"}]}");
    }
}
