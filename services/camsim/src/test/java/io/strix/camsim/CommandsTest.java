package io.strix.camsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strix.common.cli.CommandLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
    private static final Path FFPROBE = Path.of("/usr/bin/ffprobe");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLauncher launcher = new CommandLauncher("strix", List.of(CamsimMain.command()), Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return launcher.run(args);
    }

    @Test
    void renderWritesAnH264Mp4ThatFfprobeReadsWithTheRequestedSizeRateAndFrameCount(@TempDir Path dir)
            throws Exception {
        assumeThat(Files.isExecutable(FFPROBE)).as("ffprobe installed").isTrue();
        Path video = dir.resolve("out/street.mp4");
        Path gt = dir.resolve("out/gt.txt");
        int code = run("camsim", "render", "--scenario", "street", "--seed", "4", "--size", "320x180", "--fps", "5",
                "--seconds", "3", "--out", video.toString(), "--gt", gt.toString());
        assertThat(code).as(err.toString()).isZero();

        Process p = new ProcessBuilder(FFPROBE.toString(), "-v", "error", "-select_streams", "v:0", "-count_frames",
                "-show_entries", "stream=codec_name,width,height,r_frame_rate,nb_read_frames", "-of", "json",
                video.toString()).redirectErrorStream(true).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonNode stream = new ObjectMapper().readTree(json).get("streams").get(0);
        assertThat(stream.get("codec_name").asText()).isEqualTo("h264");
        assertThat(stream.get("width").asInt()).isEqualTo(320);
        assertThat(stream.get("height").asInt()).isEqualTo(180);
        assertThat(stream.get("r_frame_rate").asText()).isEqualTo("5/1");
        assertThat(stream.get("nb_read_frames").asInt()).isEqualTo(15);

        List<String> lines = Files.readAllLines(gt);
        assertThat(lines).isNotEmpty().allMatch(l -> l.matches("\\d+,\\d+,\\d+,\\d+,\\d+,\\d+,[01],\\d+,[01]\\.\\d{4}"));
        assertThat(lines.stream().map(l -> Integer.parseInt(l.split(",")[0])).distinct().sorted().toList())
                .startsWith(1).allMatch(f -> f >= 1 && f <= 15);
        assertThat(lines.stream().map(l -> l.split(",")[7]).distinct())
                .allMatch(c -> List.of("0", "1", "2", "3", "5", "7", "16").contains(c));
    }

    @Test
    void previewWritesAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("p.png");
        assertThat(run("camsim", "preview", "--scenario", "night", "--size", "160x90", "--sheet", "2x1", "--time",
                "1", "--out", png.toString())).as(err.toString()).isZero();
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(90);
    }

    @Test
    void theGroupAloneListsItsActionsAndExitsWithUsage() {
        assertThat(run("camsim")).isEqualTo(2);
        assertThat(err.toString()).contains("choose one of render, dataset, preview, bench");
    }

    @Test
    void badSettingsStopWithExitCodeTwoAndAMessage() {
        assertThat(run("camsim", "render", "--size", "640x")).isEqualTo(2);
        assertThat(err.toString()).contains("--size").contains("is not a size WxH");
        assertThat(run("camsim", "render", "--out", "x.mp4", "--scenario", "moon")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scenario 'moon'");
        assertThat(run("camsim", "render", "--seed", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing setting: give --out");
        assertThat(run("camsim", "render", "--out", "x.mp4", "--size", "321x180")).isEqualTo(2);
        assertThat(err.toString()).contains("even width and height");
    }
}
