package io.strix.aggregator.stream;

import io.strix.aggregator.rules.RuleEngineConfig;
import io.strix.aggregator.rules.RuleSetValidator;
import io.strix.aggregator.track.TrackerConfig;
import io.strix.schema.Alert;
import io.strix.schema.RuleSet;
import io.strix.wire.Topics;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's Kafka Streams topology, built without any I/O so that tests drive it with
 * {@code TopologyTestDriver}:
 *
 * <pre>
 *  strix.detections ─► tracking ──────────────► strix.tracks
 *                       │ (ByteTracker per camera, state in tracker-state)
 *                       └─► alerting ─────────► strix.alerts
 *                            (RuleEngine per camera, state in rule-engine-state; rules from the rules store)
 *  strix.rules ───────► rules (validated into the rules store)
 *  undecodable or unusable records of either input ─► strix.dlq
 * </pre>
 *
 * Every input is read as bytes and decoded in the processors, so a bad record is routed to {@code strix.dlq} with
 * its reason, exactly once, and processing goes on. The rules store and the tracker are fed from two topics keyed
 * by camera id; they meet in one task per partition, which needs {@code strix.rules} and {@code strix.detections}
 * to have the same partition count (services create both with the same count; the service checks at start).
 */
public final class AggregatorTopology {
    public static final String DETECTIONS_SOURCE = "detections-source";
    public static final String RULES_SOURCE = "rules-source";
    public static final String TRACKING = "tracking";
    public static final String ALERTING = "alerting";
    public static final String RULES = "rules";
    public static final String TRACKS_SINK = "tracks-sink";
    public static final String ALERTS_SINK = "alerts-sink";
    public static final String DLQ_SINK = "dlq-sink";

    /** Per camera: the tracker's state ({@code ByteTracker.toBytes()}), persistent and changelogged. */
    public static final String TRACKER_STORE = "tracker-state";
    /** Per camera: the rule engine's state ({@code RuleEngine.toBytes()}), persistent and changelogged. */
    public static final String ENGINE_STORE = "rule-engine-state";
    /** Per camera: the valid rule set in force, persistent and changelogged. */
    public static final String RULES_STORE = "rules";
    /**
     * Per camera: the latest snapshot, for interactive queries only; in memory and not changelogged, since the next
     * frame rebuilds it.
     */
    public static final String LATEST_TRACKS_STORE = "latest-tracks";

    /**
     * What the topology needs besides its inputs.
     *
     * @param validator rule sets arriving on strix.rules that it rejects go to strix.dlq, the previous rules stay
     * @param listener  told about snapshots and dead letters, for metrics; called from stream threads
     */
    public record Settings(TrackerConfig tracker, RuleEngineConfig rules, RuleSetValidator validator,
                           Listener listener) {
        public Settings {
            Objects.requireNonNull(tracker, "tracker");
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(validator, "validator");
            Objects.requireNonNull(listener, "listener");
        }

        public static Settings defaults() {
            return new Settings(TrackerConfig.defaults(), RuleEngineConfig.defaults(),
                    RuleSetValidator.acceptingAnyClass(), new Listener() { });
        }
    }

    /** Observes the topology's work; must be thread-safe (several stream threads call it). */
    public interface Listener {
        /** A snapshot went out for this camera; {@code captureMillis} is its frame's capture time. */
        default void snapshot(String cameraId, long captureMillis, int tracks) {
        }

        default void alert(Alert alert) {
        }

        /** A record of {@code topic} went to strix.dlq. */
        default void deadLetter(String topic, String reason) {
        }
    }

    private AggregatorTopology() {
    }

    public static Topology build(Settings settings) {
        Topology topology = new Topology();
        topology.addSource(DETECTIONS_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.DETECTIONS.name());
        topology.addSource(RULES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.RULES.name());

        topology.addProcessor(RULES, () -> new RulesProcessor(settings.validator(), settings.listener()),
                RULES_SOURCE);
        topology.addProcessor(TRACKING, () -> new TrackingProcessor(settings.tracker(), settings.listener()),
                DETECTIONS_SOURCE);
        topology.addProcessor(ALERTING, () -> new AlertingProcessor(settings.rules(), settings.listener()),
                TRACKING);

        topology.addStateStore(bytesStore(TRACKER_STORE), TRACKING);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(LATEST_TRACKS_STORE),
                Serdes.String(), Topics.TRACKS.valueSerde()).withLoggingDisabled(), TRACKING);
        topology.addStateStore(bytesStore(ENGINE_STORE), ALERTING);
        topology.addStateStore(rulesStore(), RULES, ALERTING);

        topology.addSink(TRACKS_SINK, Topics.TRACKS.name(), Topics.TRACKS.keySerde().serializer(),
                Topics.TRACKS.valueSerde().serializer(), TRACKING);
        topology.addSink(ALERTS_SINK, Topics.ALERTS.name(), Topics.ALERTS.keySerde().serializer(),
                Topics.ALERTS.valueSerde().serializer(), ALERTING);
        topology.addSink(DLQ_SINK, Topics.DLQ.name(), Serdes.ByteArray().serializer(),
                Topics.DLQ.valueSerde().serializer(), TRACKING, RULES);
        return topology;
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> bytesStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray());
    }

    private static StoreBuilder<KeyValueStore<String, RuleSet>> rulesStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RULES_STORE), Serdes.String(),
                Topics.RULES.valueSerde());
    }
}
