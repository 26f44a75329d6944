package io.strix.aggregator.it;

import io.strix.aggregator.AggregatorService;
import io.strix.aggregator.gateway.GatewayLimits;
import io.strix.aggregator.rules.RuleEngineConfig;
import io.strix.aggregator.track.TrackerConfig;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.kafka.EmbeddedKafka;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the aggregator's integration tests share: one real embedded Kafka broker for the whole run (started by the
 * first test class that asks, stopped when the JVM ends), aggregator instances, producers, topic readers and HTTP.
 */
final class ItSupport {
    static final int PARTITIONS = 4;
    private static EmbeddedKafka kafka;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ItSupport() {
    }

    static synchronized String bootstrap() throws IOException {
        if (kafka == null) {
            Path dir = Files.createTempDirectory("strix-aggregator-it-kafka");
            kafka = EmbeddedKafka.start("localhost", 0, dir, Map.of());
            EmbeddedKafka started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "it-admin"))) {
                TopicAdmin.ensureTopics(admin, Topics.ALL, PARTITIONS, -1);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the strix topics", e);
            }
        }
        return kafka.bootstrapServers();
    }

    static AggregatorService.Settings settings(String applicationId, String instanceId, Path stateDir,
                                               Optional<String> token, GatewayLimits limits) throws IOException {
        return new AggregatorService.Settings(bootstrap(), 0, token, applicationId, stateDir, "localhost",
                instanceId, 1, Duration.ofSeconds(6), PARTITIONS, -1, List.of(), limits, TrackerConfig.defaults(),
                RuleEngineConfig.defaults());
    }

    static KafkaProducer<byte[], byte[]> producer() throws IOException {
        return new KafkaProducer<>(KafkaClients.producer(bootstrap(), "it-producer"), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<V> topic, String key, V value) {
        send(producer, topic.name(), key, value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    /** Reads a topic from the start (committed records only) until {@code done} holds for what it read. */
    static List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> filter,
                                                     Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                     Duration timeout) throws IOException {
        Map<String, Object> props = KafkaClients.consumer(bootstrap(), "it-reader", "unused");
        props.remove("group.id");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (filter.test(r)) {
                        records.add(r);
                    }
                });
            }
        }
        return records;
    }

    static Predicate<ConsumerRecord<byte[], byte[]>> key(String key) {
        return r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8));
    }

    static HttpResponse<String> http(String method, int port, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static CameraStatus streaming(String cameraId, float fps) {
        Instant now = Instant.now();
        return CameraStatus.newBuilder().setCameraId(cameraId).setState(CameraState.STREAMING)
                .setUrl("sim://street?user=x").setInstanceId("it-ingest").setSince(now).setFps(fps)
                .setUpdatedAt(now).build();
    }

    static Frame frame(String cameraId, long seq, Instant captureTime, byte[] jpeg) {
        return Frame.newBuilder().setCameraId(cameraId).setSeq(seq).setCaptureTime(captureTime).setWidth(640)
                .setHeight(360).setJpeg(ByteBuffer.wrap(jpeg)).setIngestInstance("it").build();
    }

    /** A 640x360 JPEG of a plain street-like picture, made here rather than loaded from a file. */
    static byte[] jpeg(long seed) {
        BufferedImage image = new BufferedImage(640, 360, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(90, 110, 130));
        g.fillRect(0, 0, 640, 150);
        g.setColor(new Color(70, 70, 75));
        g.fillRect(0, 150, 640, 210);
        g.setColor(new Color(220, 220, 220));
        for (int x = (int) (seed % 80); x < 640; x += 80) {
            g.fillRect(x, 250, 40, 6);
        }
        g.setColor(new Color(150, 120, 90));
        g.fillRect(40, 40, 160, 110);
        g.fillRect(420, 20, 180, 130);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Temporary files only.
        }
    }
}
