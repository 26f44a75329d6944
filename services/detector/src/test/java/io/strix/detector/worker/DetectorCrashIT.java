package io.strix.detector.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.detector.DetectorMain;
import io.strix.detector.Fixtures;
import io.strix.detector.TestImages;
import io.strix.kafka.EmbeddedKafka;
import io.strix.schema.FrameDetections;
import io.strix.wire.Topics;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across crashes: a detector in its own JVM is killed with SIGKILL mid-stream (aiming at a moment when a
 * transaction is open) and started again under the same instance id; in the end every frame has exactly one record in
 * strix.detections as read_committed consumers see it, in order per camera.
 */
class DetectorCrashIT {
    static final int CAMERAS = 3;
    static final int FRAMES_PER_CAMERA = 100;
    static Path dataDir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("detector-crash-it");
        kafka = EmbeddedKafka.start("localhost", 0, dataDir, Map.of());
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "it-admin"))) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 3, 1);
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Process detector(String log) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DetectorMain.class.getName(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--model", Fixtures.xxs().toString(),
                "--instance-id", "crash-test", "--threads", "1", "--batch", "4", "--max-frame-age", "0",
                "--http-port", "0", "--topic-partitions", "3"));
        File output = Path.of("target", log).toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
    }

    @Test
    void neitherLosesNorDoublesAFrameWhenKilledMidStream() throws Exception {
        byte[] scene = Files.readAllBytes(Fixtures.file("scene.jpg"));
        int total = CAMERAS * FRAMES_PER_CAMERA;
        try (FrameProducer frames = new FrameProducer(kafka.bootstrapServers());
             TopicReader<FrameDetections> committed = new TopicReader<>(kafka.bootstrapServers(), Topics.DETECTIONS, true)) {
            for (int seq = 0; seq < FRAMES_PER_CAMERA; seq++) {
                for (int camera = 0; camera < CAMERAS; camera++) {
                    frames.send(TestImages.frame("crash-" + camera, seq, Instant.now(), scene, 640, 480));
                }
            }

            // Kill a detector right inside a transaction (records written, not committed), the worst moment to die.
            // The window is a few milliseconds, so a kill may land just after the commit: then start again.
            List<Integer> committedAtKills = new ArrayList<>();
            boolean killedInTransaction = false;
            for (int attempt = 1; attempt <= 4 && !killedInTransaction; attempt++) {
                Process detector = detector("crash-it-detector-" + attempt + ".log");
                try {
                    int target = committed.readToEnd().size() + 12;
                    committed.await(d -> d.size() >= target, Duration.ofSeconds(120), "12 more records");
                    killedInTransaction = killInsideATransaction(detector);
                } finally {
                    detector.destroyForcibly();
                    detector.waitFor();
                }
                committedAtKills.add(committed.readToEnd().size());
            }
            assertThat(committedAtKills.get(committedAtKills.size() - 1)).as("killed mid-stream").isLessThan(total);

            Process second = detector("crash-it-detector-last.log");
            try {
                committed.await(d -> d.size() >= total, Duration.ofSeconds(180), "every frame's record");
                awaitGroupCaughtUp();
            } finally {
                second.destroy();
                second.waitFor();
            }
            List<FrameDetections> all = committed.values();
            List<String> ids = all.stream().map(d -> d.getFrame().getCameraId() + "/" + d.getFrame().getFrameSeq())
                    .toList();
            Set<String> unique = new TreeSet<>(ids);
            assertThat(ids).as("no frame doubled").hasSize(unique.size());
            assertThat(unique).as("no frame missing").hasSize(total);
            for (int camera = 0; camera < CAMERAS; camera++) {
                String id = "crash-" + camera;
                assertThat(all.stream().filter(d -> d.getFrame().getCameraId().equals(id))
                        .map(d -> d.getFrame().getFrameSeq()).collect(Collectors.toList()))
                        .as("camera %s in order", id).isSorted().hasSize(FRAMES_PER_CAMERA);
            }
            try (TopicReader<FrameDetections> everything =
                         new TopicReader<>(kafka.bootstrapServers(), Topics.DETECTIONS, false)) {
                int written = everything.readToEnd().size();
                System.out.printf("crash test: %d frames; %d kills (committed records at each: %s), the last one inside"
                        + " a transaction: %s; %d records committed in the end, %d written including aborted"
                        + " transactions%n", total, committedAtKills.size(), committedAtKills, killedInTransaction,
                        all.size(), written);
                if (killedInTransaction) {
                    assertThat(written).as("the open transaction's records were written, then aborted")
                            .isGreaterThan(total);
                }
            }
        }
    }

    /**
     * SIGKILLs the detector the moment one of its transactions has written records to strix.detections and not yet
     * committed them (the high watermark is past the last stable offset). Returns whether the transaction was still
     * open after the process died; after 30 s without catching one it kills anyway and returns false.
     */
    private static boolean killInsideATransaction(Process detector) throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "it-admin-kill"))) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                if (transactionOpen(admin)) {
                    detector.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed or aborted
                    detector.waitFor();
                    return transactionOpen(admin);
                }
            }
            return false;
        }
    }

    private static boolean transactionOpen(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            latest.put(new TopicPartition(Topics.DETECTIONS.name(), p), OffsetSpec.latest());
        }
        var writtenFuture = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all();
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        var written = writtenFuture.get();
        return written.entrySet().stream().anyMatch(e -> e.getValue().offset() > stable.get(e.getKey()).offset());
    }

    /** Waits until the detector group's committed offsets reach the end of strix.frames: nothing more will come. */
    private static void awaitGroupCaughtUp() throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "it-admin-offsets"))) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("strix-detector")
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < 3; p++) {
                    latest.put(new TopicPartition(Topics.FRAMES.name(), p), OffsetSpec.latest());
                }
                var ends = admin.listOffsets(latest).all().get();
                if (ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                        || (committed.containsKey(e.getKey())
                        && committed.get(e.getKey()).offset() >= e.getValue().offset()))) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the detector group did not catch up: " + committed);
                }
                Thread.sleep(200); // polling the group's offsets, a condition
            }
        }
    }
}
