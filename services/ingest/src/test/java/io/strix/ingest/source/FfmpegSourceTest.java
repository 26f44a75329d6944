package io.strix.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.ingest.testing.TestVideos;
import io.strix.schema.CameraConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FFmpeg decoding of a video file written by FFmpeg in the test. */
class FfmpegSourceTest {
    @TempDir
    static Path dir;
    static Path video;

    @BeforeAll
    static void writeVideo() throws Exception {
        video = TestVideos.write(dir.resolve("clip.mp4"), 1280, 720, 20, 20);
    }

    private static CameraConfig camera(String url, Map<String, String> options) {
        return CameraConfig.newBuilder().setCameraId("f").setUrl(url).setMaxWidth(640).setOptions(options)
                .setUpdatedAt(Instant.now()).build();
    }

    @Test
    void decodesAFileScaledToTheMaxWidthKeepingTheAspectRatio() throws Exception {
        try (FfmpegSource source = FfmpegSource.open(camera(video.toUri().toString(), Map.of("realtime", "false",
                "loop", "false")), Duration.ofSeconds(5))) {
            int pictures = 0;
            Frame frame;
            long lastTs = -1;
            while ((frame = source.grab(true)) != null) {
                assertThat(frame.imageWidth).isEqualTo(640);
                assertThat(frame.imageHeight).isEqualTo(360);
                assertThat(source.timestampMicros()).isGreaterThan(lastTs);
                lastTs = source.timestampMicros();
                pictures++;
            }
            assertThat(pictures).isEqualTo(20);
        }
    }

    @Test
    void loopsAFileInRealTimeLikeALiveCamera() throws Exception {
        try (FfmpegSource source = FfmpegSource.open(camera(video.toUri().toString(), Map.of()), Duration.ofSeconds(5))) {
            long start = System.nanoTime();
            long lastTs = -1;
            for (int i = 0; i < 30; i++) { // 1.5 passes through a 1 s clip
                assertThat(source.grab(true)).isNotNull();
                assertThat(source.timestampMicros()).as("timestamps keep rising across the loop").isGreaterThan(lastTs);
                lastTs = source.timestampMicros();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(seconds).as("30 frames at 20 fps take about 1.5 s").isBetween(1.2, 3.0);
        }
    }

    @Test
    void missingFileAndUnsupportedSchemeAreClearErrors() {
        assertThatThrownBy(() -> FfmpegSource.open(camera("file:///no/such.mp4", Map.of()), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SourceException.Kind.BROKEN);
                    assertThat(e.getMessage()).contains("/no/such.mp4");
                });
        assertThatThrownBy(() -> FfmpegSource.open(camera("ftp://h/x", Map.of()), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SourceException.class,
                        e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.UNRECOVERABLE));
    }

    @Test
    void refusedConnectionSaysSoWithoutCredentials() {
        assertThatThrownBy(() -> FfmpegSource.open(camera("rtsp://admin:hunter2@127.0.0.1:9/x", Map.of()),
                Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.getMessage()).contains("Connection refused").contains("admin:***@")
                            .doesNotContain("hunter2").doesNotContain("setFormat");
                });
    }
}
