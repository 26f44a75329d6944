package io.strix.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.aggregator.track.MotMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackReplayTest {
    @TempDir
    Path run;

    /** A dump in TrackingAccuracyIT's format: one person walking across the street scene, detected in every frame. */
    private void walkingPerson(double score) throws IOException {
        for (String scene : TrackingAccuracyIT.SCENES) {
            Files.createDirectories(run.resolve(scene));
            List<String> gt = new ArrayList<>();
            List<String> det = new ArrayList<>();
            if (scene.equals("street")) {
                for (int n = 1; n <= 250; n++) {
                    double x = 20 + 2 * n;
                    gt.add(String.format(Locale.ROOT, "%d,7,%.1f,100.0,20.0,50.0,1", n, x));
                    det.add(String.format(Locale.ROOT, "%d,-1,%.1f,101.0,20.0,49.0,%.4f,person", n, x + 0.5, score));
                }
            }
            Files.write(run.resolve(scene).resolve("gt.txt"), gt);
            Files.write(run.resolve(scene).resolve("det.txt"), det);
        }
    }

    @Test
    void aConfidentlyDetectedObjectIsTrackedFromItsSecondFrameUnderOneId() throws IOException {
        walkingPerson(0.8);
        MotMetrics.Summary s = TrackReplay.replay(run, TrackingAccuracyIT.shipped(), 0.5);
        assertThat(s.misses()).as("the frame before the track is confirmed").isEqualTo(1);
        assertThat(s.falsePositives()).isZero();
        assertThat(s.idSwitches()).isZero();
        assertThat(s.mota()).isEqualTo(249 / 250.0);
    }

    @Test
    void aVariantChangesWhatTheTrackerDoes() throws IOException {
        walkingPerson(0.5);
        MotMetrics.Summary none = TrackReplay.replay(run,
                TrackReplay.with(TrackingAccuracyIT.shipped(), "newTrackScore=0.6"), 0.5);
        assertThat(none.misses()).as("no detection scores enough to start a track").isEqualTo(250);
        MotMetrics.Summary later = TrackReplay.replay(run,
                TrackReplay.with(TrackingAccuracyIT.shipped(), "confirmHits=5, fuseScore=false"), 0.5);
        assertThat(later.misses()).isEqualTo(4);
    }

    @Test
    void anUnknownOrInvalidSettingIsRefusedWithTheNames() {
        assertThatThrownBy(() -> TrackReplay.with(TrackingAccuracyIT.shipped(), "newTrack=0.4"))
                .hasMessageContaining("not a tracker setting: 'newTrack=0.4'").hasMessageContaining("newTrackScore");
        assertThatThrownBy(() -> TrackReplay.with(TrackingAccuracyIT.shipped(), "confirmHits=0"))
                .hasMessageContaining("confirmHits must be >= 1");
        assertThatThrownBy(() -> TrackReplay.with(TrackingAccuracyIT.shipped(), "fuseScore=yes"))
                .hasMessageContaining("true or false");
    }

    @Test
    void aShortLineIsRefusedWithItsPlace() throws IOException {
        walkingPerson(0.8);
        Files.writeString(run.resolve("night").resolve("det.txt"), "1,-1,10.0,10.0,5.0,5.0\n");
        assertThatThrownBy(() -> TrackReplay.replay(run, TrackingAccuracyIT.shipped(), 0.5))
                .hasMessageContaining("det.txt:1: 8 fields expected, found 6");
    }

    @Test
    void runsOfTwoComparisonsAreNotSummedTogether() {
        assertThat(TrackReplay.modelOf(Path.of("/tmp/first/candidate0-5"), false)).isEqualTo("candidate0");
        assertThat(TrackReplay.modelOf(Path.of("/tmp/first/candidate0-5"), true)).isEqualTo("first/candidate0");
        assertThat(TrackReplay.modelOf(Path.of("/tmp/second/candidate0-12"), true)).isEqualTo("second/candidate0");
    }
}
