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
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One ingest instance against real RTSP servers and a real broker: rates, sizes, reconnects, stalls, bad cameras. */
class IngestStreamingIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    static RtspServer main;
    static RtspServer flaky;
    static RtspServer silent;
    static IngestService ingest;
    static TopicWatcher<Frame> frames;
    static TopicWatcher<CameraStatus> statuses;

    @BeforeAll
    static void start() throws Exception {
        main = RtspServer.streaming("960x540", 25, "viewer", "s3cret").start();
        flaky = RtspServer.streaming("640x360", 15).start();
        silent = RtspServer.silent().start();
        ingest = IngestTesting.start(KAFKA.bootstrapServers(), "ingest-a", "strix-ingest", List.of(
                "main=" + main.url("viewer", "s3cret") + ",fps=5,width=640",
                "flaky=" + flaky.url() + ",fps=5",
                "silent=" + silent.url(),
                "unreachable=rtsp://127.0.0.1:" + RtspServer.freePort() + "/nothing",
                "unsupported=gopher://camera.example/stream",
                "malformed=rtsp://has space/x"));
        frames = new TopicWatcher<>(KAFKA.bootstrapServers(), Topics.FRAMES);
        statuses = new TopicWatcher<>(KAFKA.bootstrapServers(), Topics.CAMERA_STATUS);
    }

    @AfterAll
    static void stop() {
        frames.close();
        statuses.close();
        ingest.close();
        main.close();
        flaky.close();
        silent.close();
    }

    private static List<Frame> framesOf(String camera) {
        return frames.values(f -> f.getCameraId().equals(camera));
    }

    @Test
    void publishesFramesAtTheTargetRateAndSize() throws Exception {
        frames.await(f -> f.getCameraId().equals("main"), Duration.ofSeconds(30), "a first frame of camera main");
        Instant from = Instant.now();
        Thread.sleep(10_000); // a measurement window, not a wait for a condition
        List<Frame> window = framesOf("main").stream()
                .filter(f -> !f.getCaptureTime().isBefore(from) && f.getCaptureTime().isBefore(from.plusSeconds(10)))
                .toList();
        assertThat(window.size()).as("5 fps for 10 s, within 10%%").isBetween(45, 55);
        Frame frame = window.get(0);
        assertThat(frame.getWidth()).isEqualTo(640);
        assertThat(frame.getHeight()).isEqualTo(360);
        byte[] jpeg = new byte[frame.getJpeg().remaining()];
        frame.getJpeg().duplicate().get(jpeg);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(360);
        List<Long> seqs = framesOf("main").stream().map(Frame::getSeq).toList();
        assertThat(seqs).as("sequence numbers rise by one").isSorted().doesNotHaveDuplicates();
        assertThat(seqs.get(seqs.size() - 1) - seqs.get(0)).isEqualTo(seqs.size() - 1);
    }

    @Test
    void reconnectsAfterTheServerComesBack() {
        frames.await(f -> f.getCameraId().equals("flaky"), Duration.ofSeconds(30), "a first frame of camera flaky");
        Instant killed = Instant.now();
        flaky.kill();
        statuses.await(s -> s.getCameraId().equals("flaky") && s.getState() == CameraState.RECONNECTING
                && !s.getUpdatedAt().isBefore(killed), Duration.ofSeconds(20), "flaky RECONNECTING");
        flaky.start();
        Instant back = Instant.now();
        Frame resumed = frames.await(f -> f.getCameraId().equals("flaky") && f.getCaptureTime().isAfter(back),
                Duration.ofSeconds(10), "frames within 10 s of the server's return");
        assertThat(Duration.between(back, resumed.getCaptureTime())).isLessThan(Duration.ofSeconds(10));
        statuses.await(s -> s.getCameraId().equals("flaky") && s.getState() == CameraState.STREAMING
                && s.getUpdatedAt().isAfter(back), Duration.ofSeconds(5), "flaky STREAMING again");
        List<Long> seqs = framesOf("flaky").stream().map(Frame::getSeq).toList();
        assertThat(seqs).as("the sequence goes on across the reconnect").isSorted().doesNotHaveDuplicates();
    }

    @Test
    void silentServerIsReportedStalledAndRetried() {
        CameraStatus stalled = statuses.await(s -> s.getCameraId().equals("silent")
                && s.getState() == CameraState.STALLED, Duration.ofSeconds(20), "silent STALLED");
        assertThat(stalled.getError()).contains("no picture");
        statuses.await(s -> s.getCameraId().equals("silent") && s.getState() == CameraState.CONNECTING
                && s.getUpdatedAt().isAfter(stalled.getUpdatedAt()), Duration.ofSeconds(20), "silent retried");
    }

    @Test
    void badCamerasFailAloneWithClearErrorsWhileOthersStream() {
        CameraStatus unsupported = statuses.await(s -> s.getCameraId().equals("unsupported")
                && s.getState() == CameraState.FAILED, Duration.ofSeconds(10), "unsupported FAILED");
        assertThat(unsupported.getError()).contains("url").contains("scheme");
        CameraStatus malformed = statuses.await(s -> s.getCameraId().equals("malformed")
                && s.getState() == CameraState.FAILED, Duration.ofSeconds(10), "malformed FAILED");
        assertThat(malformed.getError()).contains("not a valid URL");
        CameraStatus unreachable = statuses.await(s -> s.getCameraId().equals("unreachable")
                && s.getState() == CameraState.RECONNECTING, Duration.ofSeconds(20), "unreachable RECONNECTING");
        assertThat(unreachable.getError()).contains("Connection refused");

        Instant now = Instant.now();
        frames.await(f -> f.getCameraId().equals("main") && f.getCaptureTime().isAfter(now), Duration.ofSeconds(10),
                "main still streaming");
    }

    @Test
    void credentialsNeverReachStatusRecords() {
        statuses.await(s -> s.getCameraId().equals("main") && s.getState() == CameraState.STREAMING,
                Duration.ofSeconds(30), "main STREAMING");
        assertThat(statuses.values(s -> true)).allSatisfy(s -> {
            assertThat(s.getUrl()).doesNotContain("s3cret");
            assertThat(String.valueOf(s.getError())).doesNotContain("s3cret");
        });
        assertThat(statuses.values(s -> s.getCameraId().equals("main")).get(0).getUrl()).contains("viewer:***@");
    }
}
