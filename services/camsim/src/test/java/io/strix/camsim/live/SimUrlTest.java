package io.strix.camsim.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimUrlTest {
    @Test
    void parsesScenarioSeedFpsAndSize() {
        SimUrl url = SimUrl.parse("sim://crossing?seed=42&fps=12.5&size=1280x720");
        assertThat(url.scenarioName()).isEqualTo("crossing");
        assertThat(url.scenario().name()).isEqualTo("crossing");
        assertThat(url.seed()).isEqualTo(42);
        assertThat(url.fps()).isEqualTo(12.5);
        assertThat(url.size().width()).isEqualTo(1280);
        assertThat(url.size().height()).isEqualTo(720);
    }

    @Test
    void fillsInDefaultsForMissingParameters() {
        SimUrl url = SimUrl.parse("sim://night");
        assertThat(url.seed()).isEqualTo(1);
        assertThat(url.fps()).isEqualTo(5.0);
        assertThat(url.size()).hasToString("640x360");
        assertThat(SimUrl.parse("SIM://street/?seed=3").seed()).isEqualTo(3);
    }

    @Test
    void readsAScenarioFileFromTheUrlPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rainy.yaml");
        Files.writeString(file, "layout: crossing\nweather: rain\n");
        SimUrl url = SimUrl.parse("sim://" + file + "?seed=2");
        assertThat(url.scenario().name()).isEqualTo("rainy");
        assertThat(url.seed()).isEqualTo(2);
    }

    @Test
    void rejectsOtherSchemes() {
        assertThatThrownBy(() -> SimUrl.parse("rtsp://camera/stream")).hasMessageContaining("not a sim:// camera URL");
        assertThatThrownBy(() -> SimUrl.parse(null)).hasMessageContaining("not a sim:// camera URL");
    }

    @Test
    void rejectsUnknownScenariosNamingTheKnownOnes() {
        assertThatThrownBy(() -> SimUrl.parse("sim://highway?seed=1"))
                .hasMessageContaining("unknown scenario 'highway'").hasMessageContaining("street, crossing, parking");
        assertThatThrownBy(() -> SimUrl.parse("sim://?seed=1")).hasMessageContaining("names no scenario");
        assertThatThrownBy(() -> SimUrl.parse("sim:///no/such/file.yaml"))
                .hasMessageContaining("unknown scenario '/no/such/file.yaml'");
    }

    @Test
    void rejectsBadParameterValues() {
        assertThatThrownBy(() -> SimUrl.parse("sim://street?seed=abc")).hasMessageContaining("seed must be a whole"
                + " number, got 'abc'");
        assertThatThrownBy(() -> SimUrl.parse("sim://street?fps=0")).hasMessageContaining("fps must be a number above"
                + " 0 and at most 120, got '0'");
        assertThatThrownBy(() -> SimUrl.parse("sim://street?fps=fast")).hasMessageContaining("got 'fast'");
        assertThatThrownBy(() -> SimUrl.parse("sim://street?fps=500")).hasMessageContaining("got '500'");
        assertThatThrownBy(() -> SimUrl.parse("sim://street?size=640")).hasMessageContaining("'640' is not a size WxH");
        assertThatThrownBy(() -> SimUrl.parse("sim://street?size=10x10")).hasMessageContaining("outside 32..4096");
    }

    @Test
    void rejectsUnknownAndRepeatedParameters() {
        assertThatThrownBy(() -> SimUrl.parse("sim://street?sed=1")).hasMessageContaining("unknown parameter 'sed';"
                + " known: seed, fps, size");
        assertThatThrownBy(() -> SimUrl.parse("sim://street?seed=1&seed=2")).hasMessageContaining("given twice");
    }
}
