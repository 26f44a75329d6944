package io.strix.common.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/** The Prometheus registry of a service, with JVM metrics bound and a way to add its Kafka clients' metrics. */
public final class Metrics {
    private Metrics() {
    }

    public static PrometheusMeterRegistry registry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** Publishes a Kafka client's own metrics (kafka_producer_*, kafka_consumer_*, ...); close it with the client. */
    public static KafkaClientMetrics bind(PrometheusMeterRegistry registry, Object client) {
        KafkaClientMetrics metrics;
        if (client instanceof Producer<?, ?> producer) {
            metrics = new KafkaClientMetrics(producer);
        } else if (client instanceof Consumer<?, ?> consumer) {
            metrics = new KafkaClientMetrics(consumer);
        } else if (client instanceof AdminClient admin) {
            metrics = new KafkaClientMetrics(admin);
        } else {
            throw new IllegalArgumentException("Not a Kafka client: " + client);
        }
        metrics.bindTo(registry);
        return metrics;
    }
}
