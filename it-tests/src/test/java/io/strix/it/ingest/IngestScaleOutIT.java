package io.strix.it.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.ingest.IngestService;
import io.strix.it.KafkaFixture;
import io.strix.it.RtspServer;
import io.strix.it.TopicWatcher;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest instances share six cameras through consumer-group assignment; a second instance joining takes half,
 * and killing it (SIGKILL) hands its cameras back. No camera is ever ingested by two instances at once: every
 * camera's frame sequence stays strictly increasing.
 */
class IngestScaleOutIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();
    private static final int PARTITIONS = 6;

    @Test
    void twoInstancesShareSixCamerasAndTheSurvivorTakesOverAfterKill9(@TempDir Path dir) throws Exception {
        List<String> cameras = cameraIdsOnEveryPartition();
        try (RtspServer server = RtspServer.streaming("640x360", 10).start();
             TopicWatcher<Frame> frames = new TopicWatcher<>(KAFKA.bootstrapServers(), Topics.FRAMES);
             TopicWatcher<CameraStatus> statuses = new TopicWatcher<>(KAFKA.bootstrapServers(), Topics.CAMERA_STATUS)) {
            List<String> specs = cameras.stream().map(id -> id + "=" + server.url() + ",fps=4").toList();
            try (IngestService a = IngestTesting.start(KAFKA.bootstrapServers(), "ingest-a", "scale", specs, PARTITIONS)) {
                for (String id : cameras) {
                    frames.await(f -> f.getCameraId().equals(id), Duration.ofSeconds(60), "frames of " + id + " from A");
                }
                Instant joined = Instant.now();
                Process b = startChild(dir);
                try {
                    Frame firstOfB = frames.await(f -> f.getIngestInstance().equals("ingest-b"), Duration.ofSeconds(60),
                            "frames published by the second instance");
                    // The hand-over is over once every camera streams again after B's first frame.
                    Instant settled = firstOfB.getCaptureTime().plusSeconds(1);
                    for (String id : cameras) {
                        frames.await(f -> f.getCameraId().equals(id) && f.getCaptureTime().isAfter(settled),
                                Duration.ofSeconds(30), id + " streaming after the join");
                    }
                    Set<String> movedToB = new TreeSet<>(frames.values(f -> f.getIngestInstance().equals("ingest-b"))
                            .stream().map(Frame::getCameraId).toList());
                    assertThat(movedToB).as("B took a share").isNotEmpty();
                    assertThat(a.workers().keySet()).as("A kept the rest").isNotEmpty();
                    report("join", gaps(frames, movedToB, "ingest-a", "ingest-b", joined));

                    Instant killed = Instant.now();
                    b.destroyForcibly();
                    assertThat(b.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    for (String id : movedToB) {
                        frames.await(f -> f.getCameraId().equals(id) && f.getIngestInstance().equals("ingest-a")
                                        && f.getCaptureTime().isAfter(killed), Duration.ofSeconds(40),
                                id + " back on A after B was killed");
                    }
                    Map<String, Duration> takeover = gaps(frames, movedToB, "ingest-b", "ingest-a", killed);
                    report("kill -9", takeover);
                    assertThat(takeover.values()).allSatisfy(gap -> assertThat(gap).isLessThan(Duration.ofSeconds(30)));
                } finally {
                    b.destroyForcibly();
                }
                for (String id : cameras) {
                    List<Long> seqs = frames.values(f -> f.getCameraId().equals(id)).stream().map(Frame::getSeq).toList();
                    assertThat(seqs).as(id + ": never two instances at once").isSorted().doesNotHaveDuplicates();
                }
                assertThat(statuses.values(s -> s.getState() == CameraState.STREAMING).stream()
                        .map(CameraStatus::getInstanceId).collect(Collectors.toSet())).contains("ingest-a", "ingest-b");
            }
        }
    }

    /** The silence of each camera while it moved from one instance to the other. */
    private static Map<String, Duration> gaps(TopicWatcher<Frame> frames, Set<String> cameras, String from, String to,
                                              Instant after) {
        Map<String, Duration> gaps = new HashMap<>();
        for (String id : cameras) {
            List<Frame> all = frames.values(f -> f.getCameraId().equals(id));
            Instant lastOld = all.stream().filter(f -> f.getIngestInstance().equals(from))
                    .map(Frame::getCaptureTime).max(Instant::compareTo).orElse(after);
            Instant firstNew = all.stream().filter(f -> f.getIngestInstance().equals(to) && f.getCaptureTime().isAfter(after))
                    .map(Frame::getCaptureTime).min(Instant::compareTo).orElseThrow();
            gaps.put(id, Duration.between(lastOld, firstNew));
        }
        return gaps;
    }

    private static void report(String event, Map<String, Duration> gaps) {
        System.out.println("Camera hand-over on " + event + ": " + gaps.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().toMillis() + " ms").sorted().toList());
    }

    private static Process startChild(Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.strix.ingest.IngestMain",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--http-port", "0", "--group", "scale",
                "--instance-id", "ingest-b", "--session-timeout-seconds", "6", "--read-timeout-seconds", "3",
                "--stall-seconds", "4", "--max-backoff-seconds", "2", "--topic-partitions", Integer.toString(PARTITIONS)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("ingest-b.log").toFile())
                .start();
    }

    /** Six camera ids, one per partition of strix.cameras, so both instances get some. */
    private static List<String> cameraIdsOnEveryPartition() {
        Map<Integer, String> byPartition = new HashMap<>();
        for (int i = 0; byPartition.size() < PARTITIONS; i++) {
            String id = "cam-" + i;
            byPartition.putIfAbsent(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), PARTITIONS), id);
        }
        return new ArrayList<>(byPartition.values());
    }
}
