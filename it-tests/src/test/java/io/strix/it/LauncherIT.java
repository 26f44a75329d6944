package io.strix.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.kafka.KafkaClients;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real app jar as a user runs it: {@code strix kafka}, {@code strix topics}, an independent client, SIGTERM. */
class LauncherIT {
    private static final Path JAR = Path.of(System.getProperty("strix.app.jar", "../services/app/target/strix.jar"));

    @Test
    void kafkaCommandServesRealClientsAndStopsCleanlyOnSigterm(@TempDir Path dataDir) throws Exception {
        assertThat(JAR).as("the app jar is built before it-tests run").exists();
        Process kafka = new ProcessBuilder("java", "-jar", JAR.toString(), "kafka", "--port", "0",
                "--data-dir", dataDir.toString()).redirectError(dataDir.resolve("kafka.log").toFile()).start();
        try {
            String ready = firstLine(kafka);
            assertThat(ready).matches("Kafka ready at localhost:\\d+");
            String bootstrap = ready.substring("Kafka ready at ".length());

            Process topics = new ProcessBuilder("java", "-jar", JAR.toString(), "topics",
                    "--bootstrap-servers", bootstrap, "--topic-partitions", "2").redirectErrorStream(true).start();
            String topicsOutput = new String(topics.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(topics.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(topics.exitValue()).as(topicsOutput).isZero();
            assertThat(topicsOutput).contains("created   strix.frames");

            try (Admin admin = Admin.create(KafkaClients.admin(bootstrap, "it"))) {
                assertThat(admin.listTopics().names().get()).containsAll(Topics.ALL.stream().map(Topic::name).toList());
            }
            // An independent, non-Java client sees the broker and the topics too.
            Process kcat = new ProcessBuilder("kcat", "-b", bootstrap, "-L").redirectErrorStream(true).start();
            String metadata = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(metadata).contains("1 brokers").contains("topic \"strix.frames\" with 2 partitions");
        } finally {
            kafka.destroy(); // SIGTERM
        }
        assertThat(kafka.waitFor(60, TimeUnit.SECONDS)).as("broker exits after SIGTERM").isTrue();
        assertThat(kafka.exitValue()).isIn(0, 143);
        assertThat(Files.readString(dataDir.resolve("kafka.log"))).contains("Kafka broker at").contains("stopped");
    }

    @Test
    void unknownCommandAndUnknownFlagExitWithTwo() throws Exception {
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(run("kafka", "--bogus")).isEqualTo(2);
        assertThat(run("ingest", "--http-port", "99999")).as("a bad value").isEqualTo(2);
        assertThat(run("--help")).isZero();
    }

    private static int run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).get(120, TimeUnit.SECONDS);
    }
}
