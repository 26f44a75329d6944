package io.strix.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strix.common.http.AdminServer;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.KafkaReadiness;
import io.strix.common.metrics.Metrics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A service's health and metrics endpoints against a real broker. */
class AdminServerKafkaIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readyWithReachableBrokerAndKafkaClientMetricsExported() throws Exception {
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry registry = Metrics.registry("it");
        try (Admin admin = Admin.create(KafkaClients.admin(KAFKA.bootstrapServers(), "it-admin"));
             KafkaProducer<String, String> producer = new KafkaProducer<>(
                     KafkaClients.producer(KAFKA.bootstrapServers(), "it-producer"), new StringSerializer(),
                     new StringSerializer())) {
            Metrics.bind(registry, producer);
            Metrics.bind(registry, (AdminClient) admin);
            AdminServer server = new AdminServer(vertx, 0, registry, new KafkaReadiness(admin), Optional.empty());
            int port = server.start().await();

            assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
            String metrics = get(port, "/metrics").body();
            assertThat(metrics).contains("kafka_producer_").contains("jvm_threads_live_threads");
            server.close();
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void notReadyWhenTheBrokerIsUnreachable() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (Admin admin = Admin.create(KafkaClients.admin("localhost:1", "it-admin"))) {
            AdminServer server = new AdminServer(vertx, 0, Metrics.registry("it"), new KafkaReadiness(admin),
                    Optional.empty());
            int port = server.start().await();
            HttpResponse<String> response = get(port, "/health/ready");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("kafka").contains("unreachable");
            assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
            server.close();
        } finally {
            vertx.close().await();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
