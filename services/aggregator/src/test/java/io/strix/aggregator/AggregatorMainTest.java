package io.strix.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.strix.aggregator.rules.KnownClasses;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class AggregatorMainTest {
    private final AggregatorMain command = new AggregatorMain();

    @Test
    void documentsEveryKey() {
        for (ConfigKey<?> key : command.keys()) {
            assertThat(key.doc()).as(key.name()).isNotBlank().endsWith(".");
        }
    }

    @Test
    void readsTheSettingsFromFlagsAndDefaults() {
        Config config = Config.of(command.keys(), Map.of("bootstrap.servers", "kafka:9092", "api.token", "t",
                "aggregator.state.dir", "/var/lib/strix", "aggregator.known.classes", "any",
                "aggregator.ws.queue.mib", "2"));
        AggregatorService.Settings settings = AggregatorMain.settings(config);

        assertThat(settings.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(settings.apiToken()).contains("t");
        assertThat(settings.applicationId()).isEqualTo("strix-aggregator");
        assertThat(settings.stateDir()).isEqualTo(Path.of("/var/lib/strix"));
        assertThat(settings.knownClasses()).isEmpty();
        assertThat(settings.gateway().maxQueuedBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(settings.gateway().previewFps()).isEqualTo(2);
        assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theTrackersGateIsASettingWithTheMeasuredDefault() {
        assertThat(AggregatorMain.settings(Config.of(command.keys(), Map.of())).tracker().firstMatchMaxCost())
                .isCloseTo(0.9, within(1e-6));
        Config stricter = Config.of(command.keys(), Map.of("aggregator.track.match.max.cost", "0.8"));
        assertThat(AggregatorMain.settings(stricter).tracker().firstMatchMaxCost())
                .isCloseTo(0.8, within(1e-6));
        assertThatThrownBy(() -> Config.of(command.keys(), Map.of("aggregator.track.match.max.cost", "1.5")))
                .hasMessageContaining("--track-match-max-cost");
    }

    @Test
    void theCrossClassDuplicateIouIsASettingWithTheMeasuredDefault() {
        assertThat(AggregatorMain.settings(Config.of(command.keys(), Map.of())).tracker().crossClassIou())
                .isCloseTo(0.7, within(1e-6));
        Config off = Config.of(command.keys(), Map.of("aggregator.track.cross.class.iou", "1"));
        assertThat(AggregatorMain.settings(off).tracker().crossClassIou()).isEqualTo(1.0);
        assertThatThrownBy(() -> Config.of(command.keys(), Map.of("aggregator.track.cross.class.iou", "-0.1")))
                .hasMessageContaining("--track-cross-class-iou");
    }

    @Test
    void knowsTheCocoClassesByDefault() {
        AggregatorService.Settings settings = AggregatorMain.settings(Config.of(command.keys(), Map.of()));
        assertThat(settings.knownClasses()).hasSize(80).contains("person", "car", "truck", "dog");
        assertThat(KnownClasses.resolve(java.util.List.of("coco", "forklift"))).hasSize(81).contains("forklift");
    }

    @Test
    void runsKafkaStreamsExactlyOnceAndAdvertisesItsHttpPort() {
        AggregatorService.Settings settings = AggregatorMain.settings(Config.of(command.keys(),
                Map.of("aggregator.stream.threads", "3")));
        Properties props = AggregatorService.streamsConfig(settings, new HostInfo("agg-1", 8080));

        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("agg-1:8080");
        assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(3);
        assertThat(props.get(StreamsConfig.consumerPrefix("session.timeout.ms"))).isEqualTo(10_000);
    }
}
