package io.strix.aggregator.stream;

import io.strix.aggregator.rules.RuleEngine;
import io.strix.aggregator.rules.RuleEngineConfig;
import io.strix.schema.Alert;
import io.strix.schema.RuleSet;
import io.strix.schema.TrackSnapshot;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each camera's rules to its snapshots with the camera's {@link RuleEngine}, whose state lives in the
 * {@link AggregatorTopology#ENGINE_STORE}, and emits the incidents' alerts. A camera that has no rules and never
 * had any costs nothing.
 */
final class AlertingProcessor implements Processor<String, TrackSnapshot, Object, Object> {
    private final RuleEngineConfig config;
    private final AggregatorTopology.Listener listener;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> engines;
    private KeyValueStore<String, RuleSet> rules;

    AlertingProcessor(RuleEngineConfig config, AggregatorTopology.Listener listener) {
        this.config = config;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.engines = context.getStateStore(AggregatorTopology.ENGINE_STORE);
        this.rules = context.getStateStore(AggregatorTopology.RULES_STORE);
    }

    @Override
    public void process(Record<String, TrackSnapshot> record) {
        String cameraId = record.key();
        RuleSet cameraRules = rules.get(cameraId);
        byte[] state = engines.get(cameraId);
        if (cameraRules == null && state == null) {
            return;
        }
        RuleEngine engine = state == null ? new RuleEngine(cameraId, config) : RuleEngine.fromBytes(state, config);
        // Rules removed since the last snapshot end their open incidents here; an engine with nothing left to end
        // is dropped, so that a camera whose rules were deleted goes back to costing nothing.
        var alerts = engine.process(cameraRules, record.value());
        if (cameraRules == null && engine.openIncidents().isEmpty()) {
            engines.delete(cameraId);
        } else {
            engines.put(cameraId, engine.toBytes());
        }
        for (Alert alert : alerts) {
            context.forward(new Record<>(cameraId, alert, record.timestamp()), AggregatorTopology.ALERTS_SINK);
            listener.alert(alert);
        }
    }
}
