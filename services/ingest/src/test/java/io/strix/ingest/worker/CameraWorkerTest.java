package io.strix.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strix.ingest.source.FfmpegSource;
import io.strix.ingest.testing.TestVideos;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker over a real video file, with a sink standing in for Kafka so its speed can be chosen. */
class CameraWorkerTest {
    @TempDir
    static Path dir;
    static Path video;

    @BeforeAll
    static void writeVideo() throws Exception {
        video = TestVideos.write(dir.resolve("clip.mp4"), 320, 180, 100, 25);
    }

    /** Collects what the worker sends; each frame takes {@code delay} to "reach Kafka". */
    static final class SlowSink implements FrameSink {
        final List<Frame> frames = new CopyOnWriteArrayList<>();
        final List<CameraStatus> statuses = new CopyOnWriteArrayList<>();
        final long delayMillis;

        SlowSink(long delayMillis) {
            this.delayMillis = delayMillis;
        }

        @Override
        public void send(Frame frame, Consumer<Exception> done) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            frames.add(frame);
            done.accept(null);
        }

        @Override
        public void status(CameraStatus status) {
            statuses.add(status);
        }
    }

    private static CameraConfig camera(float fps, boolean realtime) {
        return CameraConfig.newBuilder().setCameraId("c").setUrl(video.toUri().toString()).setTargetFps(fps)
                .setOptions(Map.of("loop", "false", "realtime", Boolean.toString(realtime)))
                .setUpdatedAt(Instant.now()).build();
    }

    private static void awaitState(SlowSink sink, CameraState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sink.statuses.stream().noneMatch(s -> s.getState() == state)) {
            assertThat(System.nanoTime()).as("waiting for " + state).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void slowKafkaDropsTheOldestFramesAndCountsThem() throws Exception {
        SlowSink sink = new SlowSink(100);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WorkerSettings settings = new WorkerSettings(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 4, 1);
        CameraWorker worker = new CameraWorker(camera(25, false), "test", 0, FfmpegSource.factory(), sink, settings,
                registry);
        worker.start();
        awaitState(sink, CameraState.RECONNECTING); // the end of the file
        worker.close();

        double dropped = registry.get("strix.ingest.frames.dropped").tag("reason", "queue_full").counter().count();
        assertThat(dropped).as("frames dropped while Kafka was slow").isGreaterThan(50);
        assertThat(sink.frames.size() + dropped).as("every sampled frame is either sent or counted").isEqualTo(100);
        List<Long> seqs = sink.frames.stream().map(Frame::getSeq).toList();
        assertThat(seqs).isSorted();
        assertThat(seqs.get(seqs.size() - 1)).as("the newest frame survives").isEqualTo(99L);
    }

    @Test
    void sequenceStartsWhereTheCameraLeftOffAndStatesAreReported() throws Exception {
        SlowSink sink = new SlowSink(0);
        // A queue for the whole clip: the file decodes faster than real time, and on a busy machine the sending
        // thread may lag, which with the default queue (8) drops the oldest frames by design (test above).
        WorkerSettings roomy = new WorkerSettings(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofMillis(500), Duration.ofSeconds(30), 100, 4);
        CameraWorker worker = new CameraWorker(camera(5, false), "test", 1_000, FfmpegSource.factory(), sink, roomy,
                new SimpleMeterRegistry());
        worker.start();
        awaitState(sink, CameraState.RECONNECTING);
        worker.close();
        assertThat(sink.frames).extracting(Frame::getSeq).startsWith(1_000L, 1_001L);
        assertThat(sink.frames).hasSize(20); // 4 s of video at 5 fps
        assertThat(sink.statuses).extracting(CameraStatus::getState)
                .containsSubsequence(CameraState.CONNECTING, CameraState.STREAMING, CameraState.RECONNECTING,
                        CameraState.STOPPED);
        assertThat(sink.statuses.get(sink.statuses.size() - 1).getState()).isEqualTo(CameraState.STOPPED);
    }
}
