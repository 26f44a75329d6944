package io.strix.camsim.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.camsim.render.FrameSize;
import io.strix.camsim.scenario.Scenarios;
import io.strix.camsim.truth.FrameTruth;
import io.strix.camsim.truth.MotFormat;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SimCameraTest {
    private static final FrameSize SMALL = new FrameSize(320, 180);

    @Test
    void sameScenarioSeedSizeAndFpsGiveIdenticalFramesAndGroundTruth() throws Exception {
        String first = digest(new SimCamera(Scenarios.builtin("crossing"), 7, SMALL, 10), 25);
        String second = digest(new SimCamera(Scenarios.builtin("crossing"), 7, SMALL, 10), 25);
        String otherSeed = digest(new SimCamera(Scenarios.builtin("crossing"), 8, SMALL, 10), 25);
        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void nightScenesAreDeterministicToo() throws Exception {
        assertThat(digest(new SimCamera(Scenarios.builtin("night"), 3, SMALL, 5), 10))
                .isEqualTo(digest(new SimCamera(Scenarios.builtin("night"), 3, SMALL, 5), 10));
    }

    @Test
    void framesCarryTheirSequenceAndCaptureTimeAtTheFrameRate() {
        Instant start = Instant.parse("2025-01-01T12:00:00Z");
        SimCamera camera = new SimCamera(Scenarios.builtin("street"), 1, SMALL, 4,
                Clock.fixed(start, ZoneOffset.UTC));
        SimFrame f0 = camera.next();
        SimFrame f1 = camera.next();
        SimFrame f2 = camera.next();
        assertThat(f0.sequence()).isZero();
        assertThat(f2.sequence()).isEqualTo(2);
        assertThat(f0.captureTime()).isEqualTo(start);
        assertThat(Duration.between(f0.captureTime(), f2.captureTime())).isEqualTo(Duration.ofMillis(500));
        assertThat(f1.simTime()).isEqualTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f1.truth().frame()).isEqualTo(2);
        assertThat(camera.frameInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(f2.bgr()).hasSize(320 * 180 * 3);
    }

    @Test
    void opensASimUrl() {
        SimCamera camera = SimCamera.open("sim://parking?seed=4&fps=2&size=160x90");
        SimFrame frame = camera.next();
        assertThat(frame.image().getWidth()).isEqualTo(160);
        assertThat(frame.image().getHeight()).isEqualTo(90);
        assertThat(camera.fps()).isEqualTo(2.0);
    }

    @Test
    void bgrBytesMatchThePicture() {
        SimFrame frame = new SimCamera(Scenarios.builtin("street"), 2, SMALL, 5).next();
        byte[] bgr = frame.bgr();
        int rgb = frame.image().getRGB(100, 50);
        int i = (50 * 320 + 100) * 3;
        assertThat(bgr[i] & 255).isEqualTo(rgb & 255);
        assertThat(bgr[i + 1] & 255).isEqualTo((rgb >> 8) & 255);
        assertThat(bgr[i + 2] & 255).isEqualTo((rgb >> 16) & 255);
    }

    static String digest(SimCamera camera, int frames) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < frames; i++) {
            SimFrame frame = camera.next();
            int[] rgb = frame.rendered().rgb();
            ByteBuffer buf = ByteBuffer.allocate(rgb.length * 4);
            buf.asIntBuffer().put(rgb);
            md.update(buf.array());
            FrameTruth truth = frame.truth();
            md.update(MotFormat.lines(truth).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
