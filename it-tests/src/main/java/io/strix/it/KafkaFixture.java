package io.strix.it;

import io.strix.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Kafka broker for one test class: Testcontainers' {@code apache/kafka} where a Docker engine is reachable,
 * Strix's embedded KRaft broker otherwise. The tests are the same either way. Force one with
 * {@code -Dstrix.it.kafka=embedded|testcontainers}.
 *
 * <pre>{@code @RegisterExtension static final KafkaFixture KAFKA = new KafkaFixture();}</pre>
 */
public final class KafkaFixture implements BeforeAllCallback, AfterAllCallback {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);
    private static final String IMAGE = "apache/kafka:4.1.1";

    private KafkaContainer container;
    private EmbeddedKafka embedded;
    private Path dataDir;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        String wanted = System.getProperty("strix.it.kafka", "auto");
        boolean docker = wanted.equals("testcontainers") || (wanted.equals("auto") && dockerAvailable());
        if (docker) {
            container = new KafkaContainer(DockerImageName.parse(IMAGE));
            container.start();
            LOG.info("Kafka from Testcontainers ({}) at {}", IMAGE, container.getBootstrapServers());
        } else {
            dataDir = Files.createTempDirectory("strix-it-kafka");
            embedded = EmbeddedKafka.start("localhost", 0, dataDir, Map.of());
            LOG.info("Embedded Kafka at {}", embedded.bootstrapServers());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (container != null) {
            container.stop();
        }
        if (embedded != null) {
            embedded.close();
            deleteRecursively(dataDir);
        }
    }

    public String bootstrapServers() {
        return container != null ? container.getBootstrapServers() : embedded.bootstrapServers();
    }

    /** "testcontainers" or "embedded", for test reports. */
    public String kind() {
        return container != null ? "testcontainers" : "embedded";
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
