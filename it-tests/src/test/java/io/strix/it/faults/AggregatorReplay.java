package io.strix.it.faults;

import io.strix.aggregator.AggregatorService;
import io.strix.aggregator.rules.RuleSetValidator;
import io.strix.aggregator.stream.AggregatorTopology;
import io.strix.schema.Alert;
import io.strix.schema.TrackSnapshot;
import io.strix.wire.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * What an aggregator that never crashed would have written: the aggregator's own topology, with the settings the
 * real one runs with, over the rules and detections read from Kafka, in a {@code TopologyTestDriver}. Tracks and
 * alerts depend on their inputs only (capture times, never the wall clock), so this is the reference the real
 * outputs must equal after any crash.
 */
final class AggregatorReplay {
    /** Per camera, in order: the track snapshots and the alerts. */
    record Output(Map<String, List<TrackSnapshot>> tracks, Map<String, List<Alert>> alerts) {
    }

    private AggregatorReplay() {
    }

    /**
     * @param rules      the records of strix.rules, in their partitions' order
     * @param detections the records of strix.detections, each partition in offset order
     */
    static Output run(AggregatorService.Settings settings, List<ConsumerRecord<byte[], byte[]>> rules,
                      List<ConsumerRecord<byte[], byte[]>> detections, Path stateDir) {
        RuleSetValidator validator = settings.knownClasses().isEmpty() ? RuleSetValidator.acceptingAnyClass()
                : new RuleSetValidator(settings.knownClasses());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fault-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(AggregatorTopology.build(new AggregatorTopology.Settings(
                settings.tracker(), settings.rules(), validator, new AggregatorTopology.Listener() { })), props)) {
            // Rules were published before the first frame, so the real aggregator met them first too.
            pipe(driver.createInputTopic(Topics.RULES.name(), new ByteArraySerializer(), new ByteArraySerializer()),
                    rules);
            pipe(driver.createInputTopic(Topics.DETECTIONS.name(), new ByteArraySerializer(),
                    new ByteArraySerializer()), detections);
            Map<String, List<TrackSnapshot>> tracks = new LinkedHashMap<>();
            driver.createOutputTopic(Topics.TRACKS.name(), new StringDeserializer(),
                    Topics.TRACKS.valueSerde().deserializer()).readKeyValuesToList()
                    .forEach(kv -> tracks.computeIfAbsent(kv.key, k -> new ArrayList<>()).add(kv.value));
            Map<String, List<Alert>> alerts = new LinkedHashMap<>();
            driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                    Topics.ALERTS.valueSerde().deserializer()).readKeyValuesToList()
                    .forEach(kv -> alerts.computeIfAbsent(kv.key, k -> new ArrayList<>()).add(kv.value));
            return new Output(tracks, alerts);
        }
    }

    private static void pipe(TestInputTopic<byte[], byte[]> topic, List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            topic.pipeInput(record.key(), record.value(), record.timestamp());
        }
    }
}
