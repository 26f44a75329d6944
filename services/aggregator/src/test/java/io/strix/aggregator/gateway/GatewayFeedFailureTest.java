package io.strix.aggregator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strix.aggregator.rules.RuleSetValidator;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A feed that stops for good says so, whatever stopped it, so the aggregator is restarted instead of serving frozen dashboards. */
class GatewayFeedFailureTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    private GatewayFeed startFeed(MockConsumer<byte[], byte[]> consumer, CompletableFuture<Throwable> reported) {
        CameraDirectory directory = new CameraDirectory();
        GatewayFeed feed = new GatewayFeed(consumer, directory,
                new WebSocketHub(vertx, directory, GatewayLimits.defaults(), new SimpleMeterRegistry()),
                RuleSetValidator.acceptingAnyClass(), 2, reported::complete);
        feed.start();
        return feed;
    }

    @Test
    void an_error_from_the_consumer_is_reported_not_swallowed() throws Exception {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        OutOfMemoryError boom = new OutOfMemoryError("Java heap space (from the test)");
        consumer.schedulePollTask(() -> {
            throw boom;
        });
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        GatewayFeed feed = startFeed(consumer, reported);

        assertThat(reported.get(10, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(feed.failure()).isSameAs(boom);
        feed.close(); // joins the feed's thread, which reports first and then closes its consumer
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void closing_a_healthy_feed_reports_nothing() throws Exception {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        GatewayFeed feed = startFeed(consumer, reported);
        assertThat(feed.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        feed.close();

        assertThat(feed.failure()).isNull();
        assertThat(reported).isNotDone();
    }
}
