package io.strix.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.ingest.registry.CameraValidation;
import io.strix.schema.CameraConfig;
import java.time.Duration;
import java.time.Instant;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/** camsim cameras as ingest sources, rendered in real time. */
class SimSourceTest {
    private static CameraConfig camera(String url, int maxWidth) {
        return CameraConfig.newBuilder().setCameraId("sim").setUrl(url).setMaxWidth(maxWidth)
                .setUpdatedAt(Instant.now()).build();
    }

    @Test
    void deliversPicturesAtTheSimRateScaledToTheMaxWidth() throws Exception {
        try (CameraSource source = Sources.factory().open(camera("sim://street?seed=3&fps=10&size=640x360", 320),
                Duration.ofSeconds(5))) {
            long start = System.nanoTime();
            long previous = -1;
            for (int i = 0; i < 6; i++) {
                Frame frame = source.grab(true);
                assertThat(frame.imageWidth).isEqualTo(320);
                assertThat(frame.imageHeight).isEqualTo(180);
                if (previous >= 0) {
                    assertThat(source.timestampMicros() - previous).isEqualTo(100_000);
                }
                previous = source.timestampMicros();
            }
            assertThat((System.nanoTime() - start) / 1e9).as("6 frames at 10 fps, paced").isBetween(0.45, 3.0);
        }
    }

    @Test
    void badSimUrlsAreUnrecoverableAndRejectedByValidation() {
        assertThatThrownBy(() -> Sources.factory().open(camera("sim://nowhere?fps=5", 640), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SourceException.class,
                        e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.UNRECOVERABLE));
        assertThat(CameraValidation.check(camera("sim://street?fps=abc", 640)))
                .anySatisfy(p -> assertThat(p.field()).isEqualTo("url"));
        assertThat(CameraValidation.check(camera("sim://crossing?seed=2&fps=5&size=640x360", 640))).isEmpty();
    }
}
