package io.strix.aggregator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.aggregator.json.JsonMutator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the WebSocket gateway's reading of client messages with a seeded corpus made from valid ones: each input
 * is a request or an {@link ClientRequest.InvalidRequestException} whose short message the client gets back; never
 * another exception, never a hang, never an answer that echoes a huge input. The seed is printed;
 * {@code -Dstrix.fuzz.seed=N} replays a run.
 */
class ClientRequestFuzzTest {
    private static final long SEED = Long.getLong("strix.fuzz.seed", 20261127L);
    private static final int INPUTS = Integer.getInteger("strix.fuzz.inputs", 10_000);
    private static final List<String> SEEDS = List.of(
            "{\"op\": \"subscribe\", \"cameras\": [\"cam-1\", \"cam-2\"], \"streams\": [\"tracks\", \"alerts\"], \"id\": 1}",
            "{\"op\": \"subscribe\", \"cameras\": \"*\"}",
            "{\"op\": \"unsubscribe\", \"cameras\": [\"cam-2\"], \"streams\": [\"preview\"], \"id\": \"u1\"}",
            "{\"op\": \"ping\", \"id\": \"p1\", \"t\": 1764244800000}");

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang guard, not a speed test: the run takes seconds
    void clientMessagesAreRequestsOrShortErrors() {
        System.err.printf("ClientRequestFuzzTest: seed %d, %d inputs (-Dstrix.fuzz.seed=%d to replay)%n", SEED,
                INPUTS, SEED);
        JsonMutator mutator = new JsonMutator(SEED);
        int requests = 0;
        int errors = 0;
        for (int i = 0; i < INPUTS; i++) {
            String text = i == 0 ? "[".repeat(100_000)
                    : i == 1 ? "{\"op\": \"subscribe\", \"cameras\": [" + "\"c\",".repeat(20_000) + "\"c\"]}"
                    : mutator.mutate(SEEDS);
            String what = "seed " + SEED + ", input " + i + " (" + mutator.lastMutation() + "): "
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
            ClientRequest request;
            try {
                request = ClientRequest.parse(text);
            } catch (ClientRequest.InvalidRequestException e) {
                assertThat(e.getMessage()).as(what).isNotBlank().hasSizeLessThan(3_000);
                errors++;
                continue;
            } catch (Throwable e) {
                throw new AssertionError(what + ": " + e + " instead of InvalidRequestException", e);
            }
            assertThat(request.op()).as(what).isNotNull();
            assertThat(request.id()).as(what).satisfiesAnyOf(id -> assertThat(id).isNull(),
                    id -> assertThat(id).isInstanceOfAny(String.class, Number.class));
            assertThat(request.cameras()).as(what).hasSizeLessThanOrEqualTo(ClientRequest.MAX_CAMERAS);
            requests++;
        }
        System.err.printf("ClientRequestFuzzTest: %d requests, %d errors%n", requests, errors);
        assertThat(requests).isPositive();
        assertThat(errors).isPositive();
    }
}
