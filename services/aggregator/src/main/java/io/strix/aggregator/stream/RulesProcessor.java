package io.strix.aggregator.stream;

import io.strix.aggregator.rules.RuleSetValidator;
import io.strix.schema.RuleSet;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the {@link AggregatorTopology#RULES_STORE} in step with strix.rules: a valid rule set replaces the camera's
 * rules, a tombstone removes them, and a record that does not decode or does not validate goes to strix.dlq while
 * the camera's previous rules stay in force.
 */
final class RulesProcessor implements Processor<byte[], byte[], Object, Object> {
    private final RuleSetValidator validator;
    private final AggregatorTopology.Listener listener;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, RuleSet> rules;

    RulesProcessor(RuleSetValidator validator, AggregatorTopology.Listener listener) {
        this.validator = validator;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.rules = context.getStateStore(AggregatorTopology.RULES_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (record.key() == null) {
            deadLetter(DeadLetterRecords.of(record, source, "key missing; strix.rules records are keyed by camera id"),
                    "key missing");
            return;
        }
        String cameraId = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            rules.delete(cameraId);
            return;
        }
        RuleSet ruleSet;
        try {
            ruleSet = Topics.RULES.valueSerde().deserializer().deserialize(source.topic(), record.value());
        } catch (RecordDecodeException e) {
            deadLetter(DeadLetterRecords.of(record, source, e), e.reason());
            return;
        }
        if (!cameraId.equals(ruleSet.getCameraId())) {
            String reason = "key '" + cameraId + "' differs from cameraId '" + ruleSet.getCameraId()
                    + "'; records are keyed by camera id";
            deadLetter(DeadLetterRecords.of(record, source, reason), reason);
            return;
        }
        List<String> problems = validator.validate(ruleSet);
        if (!problems.isEmpty()) {
            String reason = "invalid rule set, the camera's previous rules stay in force: "
                    + String.join("; ", problems);
            deadLetter(DeadLetterRecords.of(record, source, reason), reason);
            return;
        }
        rules.put(cameraId, ruleSet);
    }

    private void deadLetter(Record<Object, Object> letter, String reason) {
        context.forward(letter, AggregatorTopology.DLQ_SINK);
        listener.deadLetter(Topics.RULES.name(), reason);
    }
}
