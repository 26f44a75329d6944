package io.strix.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTablesTest {

    @Test
    void mostSustainedStopsAtTheFirstCameraCountThatSkipsOrFallsBehind() {
        List<RunReport> runs = List.of(run(1, 90, 0), run(2, 180, 1), run(4, 300, 0), run(8, 720, 0));
        // 4 cameras delivered 300 of 360 frames: behind, so 8 does not count even though it looks fine.
        assertThat(BenchTables.mostSustained(runs)).map(RunReport::cameras).contains(2);
        assertThat(BenchTables.mostSustained(List.of(run(1, 90, 5)))).isEmpty();
    }

    @Test
    void latencyPercentilesAreNearestRankAndOrdered() {
        LatencySamples samples = new LatencySamples();
        for (long millis = 100; millis >= 1; millis--) {
            samples.add(millis);
        }
        assertThat(samples.percentile(50)).isEqualTo(50);
        assertThat(samples.percentile(95)).isEqualTo(95);
        assertThat(samples.percentile(99)).isEqualTo(99);
        assertThat(new LatencySamples().percentile(50)).isEqualTo(-1);
    }

    @Test
    void sweepTakesCommaSeparatedCameraCounts() {
        assertThat(BenchCommand.cameraCounts("1, 2,4,8")).containsExactly(1, 2, 4, 8);
        assertThatThrownBy(() -> BenchCommand.cameraCounts("1,two")).hasMessageContaining("'two'");
        assertThatThrownBy(() -> BenchCommand.cameraCounts("0")).hasMessageContaining("outside 1..64");
    }

    /** A 30 s window of cameras at 3 fps: captured frames, of which skipped are skipped by the detector. */
    private static RunReport run(int cameras, long captured, long skipped) {
        return new RunReport(cameras, 3, 30, captured, captured, 0, captured - skipped, skipped, captured, 100, 150,
                200, 60, 90, 10, 0, 2, 1.0, List.of());
    }
}
