package io.strix.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** deploy/k8s parses, runs real strix commands with probes on the health endpoints, and matches the topic table. */
class KubernetesManifestsTest {
    private static final Path K8S = Path.of("../../deploy/k8s");
    private static final List<Map<String, Object>> DOCS = new ArrayList<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parseEveryManifest() throws Exception {
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                        assertThat(doc).as(file + " holds objects").isInstanceOf(Map.class);
                        DOCS.add((Map<String, Object>) doc);
                    }
                }
            }
        }
    }

    private static List<Map<String, Object>> kind(String kind) {
        return DOCS.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> map, String... path) {
        Object value = map;
        for (String key : path) {
            value = ((Map<String, Object>) value).get(key);
        }
        return (T) value;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDeploymentRunsARealCommandWithHealthProbes() {
        var launcher = StrixMain.launcher(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<Map<String, Object>> deployments = kind("Deployment");
        assertThat(deployments).extracting(d -> at(d, "metadata", "name"))
                .containsExactlyInAnyOrder("strix-ingest", "strix-detector", "strix-aggregator");
        for (Map<String, Object> deployment : deployments) {
            List<Map<String, Object>> containers = at(deployment, "spec", "template", "spec", "containers");
            Map<String, Object> container = containers.get(0);
            List<String> args = (List<String>) container.get("args");
            assertThat(launcher.usageError(args.toArray(String[]::new))).as(args.toString()).isEmpty();
            assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
            assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
        }
        assertThat(kind("Service")).hasSize(3);
    }

    @Test
    void kafkaTopicsMatchTheTopicDeclarations() {
        Map<String, Map<String, Object>> byName = new HashMap<>();
        kind("KafkaTopic").forEach(t -> byName.put(at(t, "spec", "topicName"), t));
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
        for (Topic<?> topic : Topics.ALL) {
            Map<String, Object> config = at(byName.get(topic.name()), "spec", "config");
            Map<String, String> declared = new HashMap<>();
            config.forEach((k, v) -> declared.put(k, String.valueOf(v)));
            assertThat(declared).as(topic.name()).isEqualTo(topic.configs());
        }
    }

    @Test
    void detectorAutoscalingStaysWithinThePartitionsOfFrames() {
        Map<String, Object> scaled = kind("ScaledObject").get(0);
        assertThat((String) at(scaled, "spec", "scaleTargetRef", "name")).isEqualTo("strix-detector");
        int partitions = kind("KafkaTopic").stream()
                .filter(t -> Topics.FRAMES.name().equals(at(t, "spec", "topicName")))
                .map(t -> (Integer) at(t, "spec", "partitions")).findFirst().orElseThrow();
        assertThat((Integer) at(scaled, "spec", "maxReplicaCount")).isLessThanOrEqualTo(partitions);
        List<Map<String, Object>> triggers = at(scaled, "spec", "triggers");
        assertThat((String) at(triggers.get(0), "metadata", "topic")).isEqualTo(Topics.FRAMES.name());
    }
}
