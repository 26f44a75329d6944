package io.strix.aggregator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    @Test
    void deliversOnlySubscribedStreamsOfSubscribedCameras() {
        Subscription subscription = new Subscription();
        subscription.add(List.of(Stream.TRACKS, Stream.ALERTS), List.of("cam-1"));

        assertThat(subscription.wants(Outbound.text(Stream.TRACKS, "cam-1", "{}"))).isTrue();
        assertThat(subscription.wants(Outbound.text(Stream.TRACKS, "cam-2", "{}"))).isFalse();
        assertThat(subscription.wants(Outbound.text(Stream.PREVIEW, "cam-1", "{}"))).isFalse();
        assertThat(subscription.wants(Outbound.text(null, null, "{}"))).as("camera list").isTrue();
    }

    @Test
    void allCamerasIncludesCamerasThatAppearLaterAndIsUndoneByItsOwnWildcard() {
        Subscription subscription = new Subscription();
        subscription.add(List.of(Stream.PREVIEW), List.of("*"));
        subscription.add(List.of(Stream.PREVIEW), List.of("cam-1"));
        assertThat(subscription.wants(Stream.PREVIEW, "new-camera")).isTrue();
        assertThat(subscription.toJson()).isEqualTo(new JsonObject().put("preview", List.of("*", "cam-1")));

        subscription.remove(List.of(Stream.PREVIEW), List.of("cam-2"));
        assertThat(subscription.wants(Stream.PREVIEW, "cam-2")).as("one camera does not narrow '*'").isTrue();

        subscription.remove(List.of(Stream.PREVIEW), List.of("*"));
        assertThat(subscription.wantsAny(Stream.PREVIEW)).isFalse();
        assertThat(subscription.toJson()).isEqualTo(new JsonObject());
    }

    @Test
    void fitsOnlyWhileEveryStreamNamesAtMostTheLimit() {
        Subscription subscription = new Subscription();
        subscription.add(List.of(Stream.TRACKS), List.of("a", "b"));
        assertThat(subscription.fits(List.of(Stream.TRACKS), List.of("a", "b", "c"), 3)).isTrue();
        assertThat(subscription.fits(List.of(Stream.TRACKS), List.of("c", "d"), 3)).isFalse();
        assertThat(subscription.fits(List.of(Stream.ALERTS), List.of("c", "d", "*"), 2)).isTrue();
    }
}
