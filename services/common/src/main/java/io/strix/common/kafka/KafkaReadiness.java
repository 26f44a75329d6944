package io.strix.common.kafka;

import io.strix.common.http.Readiness;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Ready when the Kafka cluster answers a metadata request within a few seconds. */
public final class KafkaReadiness implements Readiness {
    private static final int TIMEOUT_MS = 3_000;
    private final Admin admin;

    public KafkaReadiness(Admin admin) {
        this.admin = admin;
    }

    @Override
    public Map<String, String> problems() {
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                    .nodes().get(TIMEOUT_MS + 500, TimeUnit.MILLISECONDS).size();
            return brokers > 0 ? Map.of() : Map.of("kafka", "no broker in the cluster metadata");
        } catch (Exception e) {
            return Map.of("kafka", "broker unreachable: " + e);
        }
    }
}
