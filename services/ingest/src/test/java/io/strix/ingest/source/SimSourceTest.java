package io.strix.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.camsim.live.SimCamera;
import io.strix.camsim.live.SimFrame;
import io.strix.camsim.render.FrameSize;
import io.strix.camsim.scenario.Scenarios;
import io.strix.ingest.registry.CameraSpecs;
import io.strix.ingest.registry.CameraValidation;
import io.strix.ingest.worker.JpegEncoder;
import io.strix.schema.CameraConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import javax.imageio.ImageIO;
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

    @Test
    void picturesKeepTheirColoursThroughTheJpegIngestSends() throws Exception {
        SimCamera camera = new SimCamera(Scenarios.builtin("street"), 3, new FrameSize(640, 360), 5);
        // ingest's width and quality for a camera that sets neither (`--camera street=sim://street`)
        CameraConfig defaults = CameraSpecs.parseFlag("street=sim://street");
        try (SimSource source = SimSource.of(camera, defaults.getMaxWidth());
                JpegEncoder encoder = new JpegEncoder(defaults.getJpegQuality())) {
            SimFrame frame = camera.next();
            BufferedImage rendered = frame.image();
            BufferedImage sent = ImageIO.read(new ByteArrayInputStream(encoder.encode(source.picture(frame))));
            double difference = 0;
            int samples = 0;
            for (int y = 0; y < 360; y += 5) {
                for (int x = 0; x < 640; x += 5) {
                    int a = rendered.getRGB(x, y);
                    int b = sent.getRGB(x, y);
                    for (int shift = 0; shift <= 16; shift += 8) {
                        difference += Math.abs(((a >> shift) & 255) - ((b >> shift) & 255));
                    }
                    samples += 3;
                }
            }
            // JPEG at quality 85 moves a channel by a few levels on average; swapped channels by tens.
            assertThat(difference / samples).as("mean colour difference, rendered vs sent").isLessThan(6);
        }
    }
}
