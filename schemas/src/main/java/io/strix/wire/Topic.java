package io.strix.wire;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Strix topic: its name, key and value serdes, default partition count and the topic-level configs it is
 * created with. All topics are keyed by camera id, so one camera's records stay ordered on one partition.
 *
 * @param configs topic-level configs (cleanup.policy, retention.ms, max.message.bytes, ...)
 */
public record Topic<V>(String name, Serde<V> valueSerde, String description, Map<String, String> configs) {

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public boolean compacted() {
        return configs.getOrDefault("cleanup.policy", "delete").contains("compact");
    }

    /** Decodes a raw record of this topic; a failure names the record's partition and offset. */
    public V decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return valueSerde.deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (RecordDecodeException e) {
            throw e.at(record.partition(), record.offset());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
