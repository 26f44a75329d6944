package io.strix.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.aggregator.AggregatorMain;
import io.strix.aggregator.AggregatorService;
import io.strix.common.config.Config;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.it.RtspServer;
import io.strix.it.faults.PipelineLedger.Entry;
import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.CountRule;
import io.strix.schema.CrossingDirection;
import io.strix.schema.DwellRule;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.schema.Line;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import io.strix.schema.Zone;
import io.strix.wire.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Strix under faults, as deployed: the broker ({@code strix kafka}), ingest, detector and aggregator each in a JVM
 * of its own from the real app jar, fed by three camsim cameras and one RTSP camera (GStreamer's RTSP server). One
 * fault after another, in this order: {@code kill -9} of the detector, of the aggregator (restarted on its state
 * directory, then once more started elsewhere, on an empty one) and of ingest, each restarted at once as a supervisor
 * would; a broker restart on the same port and data directory; the RTSP camera's server going away and coming back. The detector is killed while a transaction of detections is open
 * (see {@link #freezeInsideATransaction()}), the others at a random point of a steady flow.
 *
 * <p>After each fault, every service is ready again and producing, and, read with {@code read_committed}:
 * <ul>
 *   <li>every frame in {@code strix.frames} has exactly one record in {@code strix.detections} (boxes or skipped),
 *       and no camera's frame sequence number repeats or goes back;</li>
 *   <li>{@code strix.tracks} and {@code strix.alerts} are exactly what an aggregator that never crashed writes for
 *       the same detections (the topology replayed in a {@code TopologyTestDriver}): no snapshot or alert lost or
 *       doubled, the same track ids, the same incident ids; every incident STARTED once and ENDED at most once.</li>
 * </ul>
 * The recovery time of each fault is measured and printed as a table (and written to
 * {@code target/fault-tolerance/run-.../recovery.md}); it is reported, not asserted, since shared build machines
 * are noisy. Process logs stay in the same folder.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {
    private static final List<String> SIM_CAMERAS = List.of(
            // Parked cars: tracks that live for minutes, to see their ids survive the aggregator's restart.
            "parking=sim://parking?seed=3&fps=2,fps=2",
            "street=sim://street?seed=1&fps=2,fps=2",
            "crossing=sim://crossing?seed=2&fps=2,fps=2");
    private static final String RTSP_CAMERA = "door";
    private static final List<String> CAMERAS = List.of("parking", "street", "crossing", RTSP_CAMERA);
    private static final int PARTITIONS = 4;
    /** The demo's tracker thresholds: the shipped model is an early checkpoint whose scores run low. */
    private static final Map<String, String> AGGREGATOR_SETTINGS = Map.of(
            "aggregator.track.high.score", "0.3", "aggregator.track.new.score", "0.35");
    /** Generous: a service restarts in seconds, but CI machines are shared and slow. */
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(120);
    private static final Duration CATCH_UP_DEADLINE = Duration.ofSeconds(180);
    /** A parked car tracked at least this long before the aggregator is killed. */
    private static final long LONG_LIVED_TRACK_MS = 10_000;
    /** Snapshots after the restart in which a track of the last snapshot before it is looked for. */
    private static final int CONTINUATION_FRAMES = 10;
    /** Frames (of all cameras) that pile up while the detector is paused before its kill: about 2 s. */
    private static final int BACKLOG_FRAMES = 16;
    private static final int FREEZE_ATTEMPTS = 5;

    private static final RecoveryTable TABLE = new RecoveryTable();
    private static Path work;
    private static String bootstrap;
    private static StrixProcess kafka;
    private static StrixProcess ingest;
    private static StrixProcess detector;
    private static StrixProcess aggregator;
    private static RtspServer rtsp;
    private static PipelineLedger ledger;
    private static long suiteStarted;

    @BeforeAll
    static void startThePipeline() throws Exception {
        suiteStarted = System.nanoTime();
        work = Path.of("target", "fault-tolerance", "run-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(Instant.now())).toAbsolutePath();
        Files.createDirectories(work);
        System.out.println("[faults] process logs in " + work);

        int kafkaPort = RtspServer.freePort();
        kafka = new StrixProcess("kafka", work, "768m", List.of("kafka", "--port", Integer.toString(kafkaPort),
                "--data-dir", work.resolve("kafka-data").toString())).start();
        bootstrap = "localhost:" + kafkaPort;
        assertThat(kafka.readyLine()).isEqualTo("Kafka ready at " + bootstrap);
        try (Admin admin = Admin.create(KafkaClients.admin(bootstrap, "it-faults"))) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, PARTITIONS, -1);
        }
        // Rules before any frame, so that the aggregator (and its replay) meet them first.
        try (KafkaProducer<String, RuleSet> producer = new KafkaProducer<>(KafkaClients.producer(bootstrap,
                "it-faults-rules"), Topics.RULES.keySerde().serializer(), Topics.RULES.valueSerde().serializer())) {
            for (String camera : CAMERAS) {
                producer.send(new ProducerRecord<>(Topics.RULES.name(), camera, rules(camera))).get();
            }
        }
        ledger = new PipelineLedger(bootstrap);
        rtsp = RtspServer.streaming("640x360", 10).start();

        String partitions = Integer.toString(PARTITIONS);
        detector = new StrixProcess("detector", work, "1g", List.of("detector", "--bootstrap-servers", bootstrap,
                "--http-port", "0", "--topic-partitions", partitions, "--instance-id", "detector-1", "--threads", "1",
                // Transactions span batches for up to a second while a backlog lasts (idle: commit at once).
                "--commit-interval-ms", "1000",
                // As in the demo: the early shipped model's scores run low.
                "--confidence", "0.15")).start();

        Properties properties = new Properties();
        properties.putAll(AGGREGATOR_SETTINGS);
        try (var out = Files.newBufferedWriter(work.resolve("aggregator.properties"))) {
            properties.store(out, "tracker settings of the fault-tolerance suite");
        }
        aggregator = aggregatorProcess("aggregator", work.resolve("aggregator-state")).start();

        List<String> ingestArgs = new ArrayList<>(List.of("ingest", "--bootstrap-servers", bootstrap, "--http-port",
                "0", "--topic-partitions", partitions, "--instance-id", "ingest-1", "--session-timeout-seconds", "6",
                "--read-timeout-seconds", "3", "--stall-seconds", "4", "--max-backoff-seconds", "4"));
        for (String camera : SIM_CAMERAS) {
            ingestArgs.addAll(List.of("--camera", camera));
        }
        ingestArgs.addAll(List.of("--camera", RTSP_CAMERA + "=" + rtsp.url() + ",fps=2,width=640"));
        ingest = new StrixProcess("ingest", work, "512m", ingestArgs).start();

        awaitAllReady();
        awaitFlowing();
        System.out.printf("[faults] pipeline running after %.1f s%n", (System.nanoTime() - suiteStarted) / 1e9);
    }

    @AfterAll
    static void stopThePipeline() throws IOException {
        try {
            String table = TABLE.markdown();
            System.out.println("[faults] recovery times (suite took " + (System.nanoTime() - suiteStarted) / 1_000_000_000
                    + " s):\n" + table);
            Files.writeString(work.resolve("recovery.md"), table);
        } finally {
            // Each stops even when another does not.
            for (AutoCloseable part : new AutoCloseable[] {ingest, detector, aggregator, ledger, kafka, rtsp}) {
                try {
                    if (part != null) {
                        part.close();
                    }
                } catch (Exception e) {
                    System.out.println("[faults] " + part + " did not stop cleanly: " + e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void detectorKilledMidTransactionRestartsWithNoFrameLostOrDetectedTwice() {
        awaitFlowing();
        long abortedBefore = ledger.abortedRecords(Topics.DETECTIONS, RECOVERY_DEADLINE);
        boolean caughtOpen = freezeInsideATransaction();
        long killed = System.currentTimeMillis();
        detector.kill();
        detector.start();
        long ready = awaitReady(detector);
        Entry<FrameDetections> first = ledger.await(PipelineLedger::detections,
                e -> e.value().getDetectedAt().toEpochMilli() > killed, RECOVERY_DEADLINE,
                "a detection from the restarted detector");
        TABLE.add("kill -9 detector, restart", "detector", "the kill", ready - killed,
                first.value().getDetectedAt().toEpochMilli() - killed, "first detection (its detectedAt)");

        assertNothingLostOrDoubled("the detector's kill");
        long aborted = ledger.abortedRecords(Topics.DETECTIONS, RECOVERY_DEADLINE) - abortedBefore;
        System.out.println("[faults] the detector died with " + (caughtOpen ? "a transaction open; " + aborted
                + " detections it had written in it were aborted" : "no transaction open (none caught in "
                + FREEZE_ATTEMPTS + " tries)"));
        if (caughtOpen) {
            assertThat(aborted).as("detections of the dead detector's open transaction, aborted").isPositive();
        }
    }

    /**
     * Brings the detector to a halt (SIGSTOP) in the middle of a transaction that has written detections: paused
     * until a backlog has built up, it works it off in transactions that span batches (--commit-interval-ms), and is
     * frozen as soon as one has written records. Frozen, it cannot commit; a transaction still open a moment later
     * (a commit already on its way would have completed) is open for good. Tries a few times.
     *
     * @return whether the detector is frozen with a transaction open (else it runs on)
     */
    private static boolean freezeInsideATransaction() {
        for (int attempt = 1; attempt <= FREEZE_ATTEMPTS; attempt++) {
            long paused = System.currentTimeMillis();
            detector.signal("STOP");
            PipelineLedger.awaitCondition(() -> backlogSince(paused) >= BACKLOG_FRAMES, RECOVERY_DEADLINE,
                    BACKLOG_FRAMES + " frames waiting for the paused detector");
            detector.signal("CONT");
            if (awaitQuietly(() -> ledger.transactionOpen(Topics.DETECTIONS), Duration.ofSeconds(20))) {
                detector.signal("STOP");
                if (!awaitQuietly(() -> !ledger.transactionOpen(Topics.DETECTIONS), Duration.ofSeconds(2))) {
                    return true;
                }
                detector.signal("CONT");
            }
        }
        return false;
    }

    @Test
    @Order(2)
    void aggregatorKilledMidStreamResumesTheSameTracksAndIncidents() {
        awaitFlowing();
        long waitFrom = System.currentTimeMillis();
        ledger.await(PipelineLedger::tracks, e -> e.seenAt() > waitFrom && camera(e.value()).equals("parking")
                        && e.value().getTracks().stream().anyMatch(t -> t.getAgeMs() >= LONG_LIVED_TRACK_MS),
                RECOVERY_DEADLINE, "a parked car tracked for " + LONG_LIVED_TRACK_MS / 1000 + " s");

        long killed = System.currentTimeMillis();
        aggregator.kill();
        // What the dead aggregator had committed: its last parking snapshot, and the incidents it left open.
        ledger.awaitRead(ledger.committedEnd(Topics.TRACKS), RECOVERY_DEADLINE);
        ledger.awaitRead(ledger.committedEnd(Topics.ALERTS), RECOVERY_DEADLINE);
        List<Entry<TrackSnapshot>> parkingBefore = ledger.tracks().stream()
                .filter(e -> camera(e.value()).equals("parking")).toList();
        TrackSnapshot lastBefore = parkingBefore.get(parkingBefore.size() - 1).value();
        Set<String> openAtKill = openIncidents(ledger.alerts().stream().map(Entry::value).toList());
        aggregator.start();
        long ready = awaitReady(aggregator);
        Entry<TrackSnapshot> first = ledger.await(PipelineLedger::tracks, e -> e.seenAt() > killed, RECOVERY_DEADLINE,
                "a track snapshot from the restarted aggregator");
        TABLE.add("kill -9 aggregator, restart", "aggregator", "the kill", ready - killed, first.seenAt() - killed,
                "first track snapshot (when read from strix.tracks)");

        long lastSeqBefore = lastBefore.getFrame().getFrameSeq();
        ledger.await(PipelineLedger::tracks, e -> camera(e.value()).equals("parking")
                        && e.value().getFrame().getFrameSeq() >= lastSeqBefore + CONTINUATION_FRAMES, RECOVERY_DEADLINE,
                CONTINUATION_FRAMES + " parking snapshots after the restart");
        AggregatorReplay.Output uninterrupted = assertNothingLostOrDoubled("the aggregator's kill");

        // The parked cars' tracks go on under the ids they had before the kill, as they do without a crash.
        Set<Long> before = trackIds(List.of(lastBefore));
        Set<Long> continued = trackIds(snapshotsAfter(ledger.tracks().stream().map(Entry::value).toList(),
                lastSeqBefore));
        continued.retainAll(before);
        Set<Long> continuedUninterrupted = trackIds(snapshotsAfter(uninterrupted.tracks().get("parking"),
                lastSeqBefore));
        continuedUninterrupted.retainAll(before);
        System.out.printf("[faults] parking: tracks %s in the last snapshot before the kill (frame %d); %s of them in"
                + " the %d snapshots after it (uninterrupted run: %s)%n", before, lastSeqBefore, continued,
                CONTINUATION_FRAMES, continuedUninterrupted);
        assertThat(continued).as("tracks that continue across the restart").isEqualTo(continuedUninterrupted);
        assertThat(continued).as("a parked car's track keeps its id across the restart").isNotEmpty();

        // Incidents open at the kill went on under their ids: none started again while it was open.
        assertThat(openAtKill).as("incidents open at the kill; the parked cars keep the parking's scene occupied")
                .anyMatch(id -> id.startsWith("parking/scene/zone-enter/"));
        List<Alert> alerts = ledger.alerts().stream().map(Entry::value).toList();
        for (String incident : openAtKill) {
            assertThat(alerts.stream().filter(a -> a.getIncidentId().equals(incident)
                    && a.getPhase() == AlertPhase.STARTED).count()).as("STARTED alerts of " + incident).isEqualTo(1);
        }
        System.out.println("[faults] incidents open across the aggregator's kill: " + openAtKill);
    }

    @Test
    @Order(3)
    void aggregatorKilledAndStartedElsewhereRebuildsItsStateFromKafka() {
        awaitFlowing();
        long killed = System.currentTimeMillis();
        aggregator.kill();
        // Another machine: an empty state directory, so the trackers and rule engines come back from the changelogs.
        aggregator = aggregatorProcess("aggregator-elsewhere", work.resolve("aggregator-state-elsewhere")).start();
        long ready = awaitReady(aggregator);
        Entry<TrackSnapshot> first = ledger.await(PipelineLedger::tracks, e -> e.seenAt() > killed, RECOVERY_DEADLINE,
                "a track snapshot from the aggregator started elsewhere");
        TABLE.add("kill -9 aggregator, start on an empty state dir", "aggregator", "the kill", ready - killed,
                first.seenAt() - killed, "first track snapshot (when read from strix.tracks)");

        assertNothingLostOrDoubled("the aggregator's move");
    }

    @Test
    @Order(4)
    void ingestKilledMidStreamContinuesEveryCamerasSequence() {
        awaitFlowing();
        long killed = System.currentTimeMillis();
        ingest.kill();
        ledger.awaitRead(ledger.committedEnd(Topics.FRAMES), RECOVERY_DEADLINE);
        Map<String, Long> lastSeqBefore = new HashMap<>();
        ledger.frames().forEach(e -> lastSeqBefore.merge(e.value().getCameraId(), e.value().getSeq(), Math::max));
        ingest.start();
        long ready = awaitReady(ingest);
        long firstFrame = Long.MAX_VALUE;
        for (String camera : CAMERAS) {
            Entry<Frame> resumed = ledger.await(PipelineLedger::frames, e -> e.value().getCameraId().equals(camera)
                    && e.value().getCaptureTime().toEpochMilli() > killed, RECOVERY_DEADLINE,
                    "a frame of camera " + camera + " from the restarted ingest");
            assertThat(resumed.value().getSeq()).as("camera %s's sequence goes on after the restart", camera)
                    .isGreaterThan(lastSeqBefore.getOrDefault(camera, -1L));
            firstFrame = Math.min(firstFrame, resumed.value().getCaptureTime().toEpochMilli());
        }
        TABLE.add("kill -9 ingest, restart", "ingest", "the kill", ready - killed, firstFrame - killed,
                "first frame (its captureTime)");

        assertNothingLostOrDoubled("ingest's kill");
    }

    @Test
    @Order(5)
    void brokerRestartOnTheSameDataIsRiddenOutByEveryService() {
        awaitFlowing();
        long stopped = System.currentTimeMillis();
        kafka.stop();
        // While it is down, every service says so to its probes.
        for (StrixProcess service : services()) {
            PipelineLedger.awaitCondition(() -> service.readiness() == 503, RECOVERY_DEADLINE,
                    service + " reporting not ready while the broker is down");
        }
        long restarting = System.currentTimeMillis();
        kafka.start();
        long back = System.currentTimeMillis();
        assertThat(kafka.readyLine()).isEqualTo("Kafka ready at " + bootstrap);
        TABLE.add("broker stopped (SIGTERM), restarted", "broker", "the restart", back - restarting, -1,
                "`Kafka ready` (down " + (restarting - stopped) / 1000 + " s in all)");

        Map<StrixProcess, Long> ready = awaitAllReady();
        Entry<Frame> frame = ledger.await(PipelineLedger::frames,
                e -> e.value().getCaptureTime().toEpochMilli() > back, RECOVERY_DEADLINE, "frames after the broker's restart");
        TABLE.add("broker restarted", "ingest", "broker ready", ready.get(ingest) - back,
                frame.value().getCaptureTime().toEpochMilli() - back, "first frame captured after it");
        Entry<FrameDetections> detection = ledger.await(PipelineLedger::detections,
                e -> e.value().getDetectedAt().toEpochMilli() > back, RECOVERY_DEADLINE,
                "detections after the broker's restart");
        TABLE.add("broker restarted", "detector", "broker ready", ready.get(detector) - back,
                detection.value().getDetectedAt().toEpochMilli() - back, "first detection");
        Entry<TrackSnapshot> snapshot = ledger.await(PipelineLedger::tracks, e -> e.seenAt() > back
                        && e.value().getFrame().getCaptureTime().toEpochMilli() > back, RECOVERY_DEADLINE,
                "track snapshots of frames after the broker's restart");
        TABLE.add("broker restarted", "aggregator", "broker ready", ready.get(aggregator) - back, snapshot.seenAt() - back,
                "first snapshot of a frame captured after it");
        for (StrixProcess service : services()) {
            assertThat(service.alive()).as(service + " rode out the broker's restart without restarting").isTrue();
        }

        assertNothingLostOrDoubled("the broker's restart");
    }

    @Test
    @Order(6)
    void rtspCameraCutIsReportedAndResumesWithoutRestartingIngest() {
        awaitFlowing();
        long ingestPid = ingest.pid();
        long cut = System.currentTimeMillis();
        rtsp.kill();
        Entry<CameraStatus> reported = ledger.await(PipelineLedger::statuses,
                e -> e.value().getCameraId().equals(RTSP_CAMERA) && e.value().getUpdatedAt().toEpochMilli() > cut
                        && (e.value().getState() == CameraState.RECONNECTING
                        || e.value().getState() == CameraState.STALLED), RECOVERY_DEADLINE,
                "camera " + RTSP_CAMERA + " reported RECONNECTING or STALLED");
        TABLE.add("RTSP server killed", "ingest (camera " + RTSP_CAMERA + ")", "the kill", -1,
                reported.value().getUpdatedAt().toEpochMilli() - cut,
                reported.value().getState() + " status (error: " + reported.value().getError() + ")");
        // The other cameras go on meanwhile.
        ledger.await(PipelineLedger::frames, e -> !e.value().getCameraId().equals(RTSP_CAMERA)
                        && e.value().getCaptureTime().toEpochMilli() > reported.value().getUpdatedAt().toEpochMilli(),
                RECOVERY_DEADLINE, "frames of the other cameras while " + RTSP_CAMERA + " is cut");

        rtsp.start();
        long back = System.currentTimeMillis();
        Entry<Frame> frame = ledger.await(PipelineLedger::frames, e -> e.value().getCameraId().equals(RTSP_CAMERA)
                && e.value().getCaptureTime().toEpochMilli() > back, RECOVERY_DEADLINE,
                "frames of camera " + RTSP_CAMERA + " after its server's return");
        ledger.await(PipelineLedger::statuses, e -> e.value().getCameraId().equals(RTSP_CAMERA)
                        && e.value().getState() == CameraState.STREAMING && e.value().getUpdatedAt().toEpochMilli() > back,
                RECOVERY_DEADLINE, "camera " + RTSP_CAMERA + " STREAMING again");
        TABLE.add("RTSP server back", "ingest (camera " + RTSP_CAMERA + ")", "the server's return", -1,
                frame.value().getCaptureTime().toEpochMilli() - back, "first frame of the camera");
        assertThat(ingest.alive()).isTrue();
        assertThat(ingest.pid()).as("the same ingest process reconnected by itself").isEqualTo(ingestPid);

        assertNothingLostOrDoubled("the RTSP camera's cut");
    }

    /**
     * The invariants every fault must keep, for everything published up to now: every service ready, each frame
     * detected exactly once, and tracks and alerts exactly those of an uninterrupted aggregator over the same
     * detections.
     *
     * @return the uninterrupted aggregator's output
     */
    private static AggregatorReplay.Output assertNothingLostOrDoubled(String after) {
        awaitAllReady();
        assertThat(ledger.undecodable()).as("records nobody can decode").isEmpty();

        // Frames: what ingest published until now; no camera's sequence number repeats or goes back.
        Map<TopicPartition, Long> framesEnd = ledger.committedEnd(Topics.FRAMES);
        ledger.awaitRead(framesEnd, RECOVERY_DEADLINE);
        List<Entry<Frame>> published = ledger.frames().stream()
                .filter(e -> e.offset() < framesEnd.get(new TopicPartition(Topics.FRAMES.name(), e.partition())))
                .toList();
        Map<String, Long> lastSeq = new HashMap<>();
        Map<FrameKey, Entry<Frame>> frames = new HashMap<>();
        long gaps = 0;
        for (Entry<Frame> entry : published) {
            Frame frame = entry.value();
            Long previous = lastSeq.put(frame.getCameraId(), frame.getSeq());
            assertThat(frame.getSeq()).as("camera %s's frame at offset %d follows frame %s", frame.getCameraId(),
                    entry.offset(), previous).isGreaterThan(previous == null ? -1 : previous);
            // Numbers never published: frames ingest dropped (queue full while Kafka was away) or lost in a kill.
            gaps += previous == null ? 0 : frame.getSeq() - previous - 1;
            frames.put(new FrameKey(frame.getCameraId(), frame.getSeq()), entry);
        }

        // Detections: every published frame gets one, boxes or skipped.
        PipelineLedger.awaitCondition(() -> detectedFrames().containsAll(frames.keySet()), CATCH_UP_DEADLINE,
                () -> "a detection of each of the " + frames.size() + " frames published until " + after
                        + "; still missing: " + missing(frames.keySet()));
        List<FrameDetections> detections = ledger.detections().stream().map(Entry::value).toList();
        Map<FrameKey, Long> perFrame = detections.stream().collect(Collectors.groupingBy(
                d -> new FrameKey(d.getFrame().getCameraId(), d.getFrame().getFrameSeq()), Collectors.counting()));
        assertThat(perFrame.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("frames detected more than once").isEmpty();
        for (FrameDetections detection : detections) {
            Entry<Frame> frame = frames.get(new FrameKey(detection.getFrame().getCameraId(),
                    detection.getFrame().getFrameSeq()));
            if (frame != null) {
                assertThat(List.of(detection.getFrame().getPartition(), detection.getFrame().getOffset()))
                        .as("where the detection of %s says its frame is", detection.getFrame())
                        .isEqualTo(List.of(frame.partition(), frame.offset()));
            }
        }

        // Tracks and alerts: the real aggregator's, read once it has processed every detection until now, against
        // an uninterrupted run over the same detections.
        Map<TopicPartition, Long> detectionsEnd = ledger.committedEnd(Topics.DETECTIONS);
        ledger.awaitRead(detectionsEnd, RECOVERY_DEADLINE);
        List<ConsumerRecord<byte[], byte[]>> input = ledger.rawDetections().stream()
                .filter(r -> r.offset() < detectionsEnd.get(new TopicPartition(r.topic(), r.partition()))).toList();
        Map<String, Long> lastDetected = new HashMap<>();
        input.forEach(r -> {
            FrameDetections d = Topics.DETECTIONS.decode(r);
            lastDetected.merge(d.getFrame().getCameraId(), d.getFrame().getFrameSeq(), Math::max);
        });
        PipelineLedger.awaitCondition(() -> {
            Map<String, Long> tracked = new HashMap<>();
            ledger.tracks().forEach(e -> tracked.merge(camera(e.value()), e.value().getFrame().getFrameSeq(), Math::max));
            return lastDetected.entrySet().stream().allMatch(e -> tracked.getOrDefault(e.getKey(), -1L) >= e.getValue());
        }, CATCH_UP_DEADLINE, "the aggregator to track every detection until " + after + " (" + lastDetected + ")");
        AggregatorReplay.Output uninterrupted;
        try {
            uninterrupted = AggregatorReplay.run(aggregatorSettings(), ledger.rawRules(), input,
                    Files.createTempDirectory(work, "replay"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<TrackSnapshot> tracks = ledger.tracks().stream().map(Entry::value).toList();
        List<Alert> alerts = ledger.alerts().stream().map(Entry::value).toList();
        int snapshots = 0;
        for (Map.Entry<String, Long> camera : lastDetected.entrySet()) {
            String id = camera.getKey();
            List<TrackSnapshot> real = tracks.stream().filter(s -> camera(s).equals(id)
                    && s.getFrame().getFrameSeq() <= camera.getValue()).toList();
            assertSameSequence("camera " + id + "'s track snapshots", real,
                    uninterrupted.tracks().getOrDefault(id, List.of()), FaultToleranceIT::describe);
            snapshots += real.size();
            List<Alert> realAlerts = alerts.stream().filter(a -> a.getCameraId().equals(id)
                    && a.getLastFrame().getFrameSeq() <= camera.getValue()).toList();
            assertSameSequence("camera " + id + "'s alerts", realAlerts,
                    uninterrupted.alerts().getOrDefault(id, List.of()), FaultToleranceIT::describe);
        }
        assertIncidentLifecycles(alerts);

        long skipped = detections.stream().filter(d -> d.getSkipped() != null).count();
        System.out.printf("[faults] after %s: %d frames (%d sequence numbers never published) each detected once"
                        + " (%d skipped), %d track snapshots and %d alerts (%d incidents) as without the fault;"
                        + " records of aborted transactions so far: %d detections, %d snapshots, %d alerts%n", after,
                frames.size(), gaps, skipped, snapshots,
                alerts.size(), alerts.stream().map(Alert::getIncidentId).distinct().count(),
                ledger.abortedRecords(Topics.DETECTIONS, RECOVERY_DEADLINE),
                ledger.abortedRecords(Topics.TRACKS, RECOVERY_DEADLINE),
                ledger.abortedRecords(Topics.ALERTS, RECOVERY_DEADLINE));
        return uninterrupted;
    }

    /** Every incident: STARTED once, as its first alert; ENDED at most once, as its last. */
    private static void assertIncidentLifecycles(List<Alert> alerts) {
        Map<String, List<AlertPhase>> phases = new LinkedHashMap<>();
        alerts.forEach(a -> phases.computeIfAbsent(a.getIncidentId(), k -> new ArrayList<>()).add(a.getPhase()));
        phases.forEach((incident, list) -> {
            assertThat(list.get(0)).as("first alert of " + incident + " " + list).isEqualTo(AlertPhase.STARTED);
            assertThat(list.stream().filter(p -> p == AlertPhase.STARTED).count()).as("STARTED of " + incident)
                    .isEqualTo(1);
            int ended = list.indexOf(AlertPhase.ENDED);
            assertThat(ended).as("ENDED of " + incident + " " + list).isIn(-1, list.size() - 1);
        });
    }

    /** Equal lists, or a failure that names the first difference instead of printing both. */
    private static <T> void assertSameSequence(String what, List<T> real, List<T> expected,
                                               Function<T, String> describe) {
        for (int i = 0; i < Math.min(real.size(), expected.size()); i++) {
            if (!Objects.equals(real.get(i), expected.get(i))) {
                throw new AssertionError(what + " differ from an uninterrupted run's at #" + i + ":\n  real:          "
                        + describe.apply(real.get(i)) + "\n  uninterrupted: " + describe.apply(expected.get(i))
                        + (i > 0 ? "\n  (the one before: " + describe.apply(real.get(i - 1)) + ")" : ""));
            }
        }
        assertThat(real.size()).as(what + ": as many as in an uninterrupted run; real ends with "
                        + (real.isEmpty() ? "nothing" : describe.apply(real.get(real.size() - 1)))
                        + ", uninterrupted with "
                        + (expected.isEmpty() ? "nothing" : describe.apply(expected.get(expected.size() - 1))))
                .isEqualTo(expected.size());
    }

    private static String describe(TrackSnapshot s) {
        return "frame " + s.getFrame().getFrameSeq() + " tracks " + s.getTracks().stream()
                .map(t -> t.getTrackId() + ":" + t.getClassName()).toList();
    }

    private static String describe(Alert a) {
        return a.getPhase() + " " + a.getIncidentId() + " at frame " + a.getLastFrame().getFrameSeq() + " tracks "
                + a.getTrackIds();
    }

    private record FrameKey(String cameraId, long seq) {
    }

    private static Set<FrameKey> detectedFrames() {
        Set<FrameKey> keys = new HashSet<>();
        ledger.detections().forEach(e -> keys.add(new FrameKey(e.value().getFrame().getCameraId(),
                e.value().getFrame().getFrameSeq())));
        return keys;
    }

    /** How many of the wanted frames have no detection yet, and the first few of them. */
    private static String missing(Set<FrameKey> wanted) {
        Set<FrameKey> missing = new HashSet<>(wanted);
        missing.removeAll(detectedFrames());
        return missing.size() + " " + missing.stream().limit(5).toList();
    }

    private static Set<String> openIncidents(List<Alert> alerts) {
        Set<String> open = new TreeSet<>();
        for (Alert alert : alerts) {
            if (alert.getPhase() == AlertPhase.ENDED) {
                open.remove(alert.getIncidentId());
            } else {
                open.add(alert.getIncidentId());
            }
        }
        return open;
    }

    private static List<TrackSnapshot> snapshotsAfter(List<TrackSnapshot> snapshots, long frameSeq) {
        return snapshots.stream().filter(s -> camera(s).equals("parking") && s.getFrame().getFrameSeq() > frameSeq
                && s.getFrame().getFrameSeq() <= frameSeq + CONTINUATION_FRAMES).toList();
    }

    private static Set<Long> trackIds(List<TrackSnapshot> snapshots) {
        return snapshots.stream().flatMap(s -> s.getTracks().stream()).map(Track::getTrackId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String camera(TrackSnapshot snapshot) {
        return snapshot.getFrame().getCameraId();
    }

    private static long backlogSince(long millis) {
        return ledger.frames().stream().filter(e -> e.value().getCaptureTime().toEpochMilli() > millis).count();
    }

    /** Polls a condition until it holds or the time is up; says whether it held. */
    private static boolean awaitQuietly(BooleanSupplier condition, Duration timeout) {
        try {
            PipelineLedger.awaitCondition(condition, timeout, "");
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** Frames, detections and track snapshots arriving now for every camera. */
    private static void awaitFlowing() {
        long from = System.currentTimeMillis();
        for (String camera : CAMERAS) {
            ledger.await(PipelineLedger::detections, e -> e.value().getFrame().getCameraId().equals(camera)
                    && e.value().getDetectedAt().toEpochMilli() > from, RECOVERY_DEADLINE, "detections of " + camera);
        }
        ledger.await(PipelineLedger::tracks, e -> e.seenAt() > from, RECOVERY_DEADLINE, "track snapshots");
    }

    /** Waits until the service answers ready, and returns when it did. */
    private static long awaitReady(StrixProcess service) {
        PipelineLedger.awaitCondition(() -> service.readiness() == 200, RECOVERY_DEADLINE,
                service + " ready (see " + service.log() + ")");
        return System.currentTimeMillis();
    }

    private static StrixProcess aggregatorProcess(String name, Path stateDir) {
        return new StrixProcess(name, work, "512m", List.of("aggregator", "--bootstrap-servers", bootstrap,
                "--http-port", "0", "--topic-partitions", Integer.toString(PARTITIONS), "--instance-id", "aggregator-1",
                "--state-dir", stateDir.toString(), "--session-timeout-seconds", "6",
                "--config", work.resolve("aggregator.properties").toString()));
    }

    /** Waits until every service answers ready, and returns when each first did. */
    private static Map<StrixProcess, Long> awaitAllReady() {
        Map<StrixProcess, Long> ready = new HashMap<>();
        PipelineLedger.awaitCondition(() -> {
            for (StrixProcess service : services()) {
                if (!ready.containsKey(service) && service.readiness() == 200) {
                    ready.put(service, System.currentTimeMillis());
                }
            }
            return ready.size() == services().size();
        }, RECOVERY_DEADLINE, () -> "every service ready; ready: " + ready.keySet());
        return ready;
    }

    private static List<StrixProcess> services() {
        return List.of(ingest, detector, aggregator);
    }

    private static AggregatorService.Settings aggregatorSettings() {
        return AggregatorMain.settings(Config.of(AggregatorMain.command().keys(), AGGREGATOR_SETTINGS));
    }

    /**
     * Rules that fire on camsim's scenes with the early model: the whole picture as a zone (objects present; the
     * parked cars keep its incident open for minutes), a line across the middle, loitering and a count.
     */
    private static RuleSet rules(String cameraId) {
        RuleFilter anyObject = RuleFilter.newBuilder().setClasses(List.of()).setMinConfidence(0.3f)
                .setCooldownSeconds(5f).build();
        Zone scene = Zone.newBuilder().setId("scene").setName("Whole picture")
                .setPolygon(List.of(p(0.01f, 0.01f), p(0.99f, 0.01f), p(0.99f, 0.99f), p(0.01f, 0.99f)))
                .setAlertOnEnter(true).setAlertOnExit(true).setFilter(anyObject).build();
        Line middle = Line.newBuilder().setId("middle").setName("Across the middle").setA(p(0.02f, 0.5f))
                .setB(p(0.98f, 0.5f)).setDirection(CrossingDirection.ANY).setFilter(anyObject).build();
        DwellRule lingering = DwellRule.newBuilder().setId("lingering").setZoneId("scene").setMinDwellSeconds(8f)
                .setFilter(anyObject).build();
        CountRule busy = CountRule.newBuilder().setId("busy").setZoneId("scene").setMinCount(2).setForSeconds(2f)
                .setFilter(anyObject).build();
        return RuleSet.newBuilder().setCameraId(cameraId).setVersion(1).setZones(List.of(scene))
                .setLines(List.of(middle)).setDwellRules(List.of(lingering)).setCountRules(List.of(busy))
                .setUpdatedAt(Instant.now()).build();
    }

    private static Point p(float x, float y) {
        return Point.newBuilder().setX(x).setY(y).build();
    }
}
