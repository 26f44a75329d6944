package io.strix.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** docker-compose.yml runs real strix commands with flags they know, from the image Jib builds. */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("../..");

    @Test
    @SuppressWarnings("unchecked")
    void everyComposeServiceOnTheStrixImageRunsARealStrixCommand() throws Exception {
        Map<String, Object> compose;
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        var launcher = StrixMain.launcher(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));

        String image = "strix/strix:" + projectVersion();
        int strixServices = 0;
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            if (!String.valueOf(service.getValue().get("image")).startsWith("strix/")) {
                continue;
            }
            strixServices++;
            assertThat(service.getValue().get("image")).as(service.getKey() + " image").isEqualTo(image);
            List<String> command = (List<String>) service.getValue().get("command");
            assertThat(launcher.usageError(command.toArray(String[]::new))).as(service.getKey() + ": " + command)
                    .isEmpty();
        }
        // One container per Strix service, plus the topic creator, the camsim clip renderer, Prometheus and Grafana.
        assertThat(services).containsKeys("kafka", "topics", "ingest", "detector", "aggregator", "camsim-clip", "camera",
                "prometheus", "grafana");
        assertThat(strixServices).isEqualTo(5);
        assertThat(((Map<String, Object>) services.get("kafka")).get("image")).asString().startsWith("apache/kafka:");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRtspCameraServesTheClipCamsimRendersAndIngestReadsIt() throws Exception {
        Map<String, Map<String, Object>> services;
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
        List<String> render = (List<String>) services.get("camsim-clip").get("command");
        String clip = render.get(render.indexOf("--out") + 1);

        Map<String, Object> camera = services.get("camera");
        assertThat(camera.get("image")).asString().startsWith("bluenviron/mediamtx:").endsWith("-ffmpeg");
        String mount = ((List<String>) camera.get("volumes")).stream().filter(v -> v.endsWith(":/mediamtx.yml:ro"))
                .findFirst().orElseThrow();
        Map<String, Object> mediamtx;
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(mount.substring(0, mount.indexOf(':'))))) {
            mediamtx = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) mediamtx.get("paths");
        assertThat(paths).containsOnlyKeys("street");
        assertThat(paths.get("street").get("runOnInit")).asString().contains("-stream_loop -1 -i " + clip);

        List<String> ingest = (List<String>) services.get("ingest").get("command");
        assertThat(ingest.get(ingest.indexOf("--camera") + 1)).startsWith("street-rtsp=rtsp://camera:8554/street");
    }

    @Test
    void usageErrorCatchesWhatComposeCouldGetWrong() {
        var launcher = StrixMain.launcher(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(launcher.usageError(new String[] {"ingestt"})).isPresent();
        assertThat(launcher.usageError(new String[] {"kafka", "--no-such-flag"})).isPresent();
        assertThat(launcher.usageError(new String[] {"kafka", "--port", "0"})).isEmpty();
    }

    private static String projectVersion() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        int start = pom.indexOf("<version>") + "<version>".length();
        return pom.substring(start, pom.indexOf("</version>", start));
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryServiceAndGrafanaHasTheDashboard() throws Exception {
        Map<String, Object> prometheus;
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("deploy/prometheus/prometheus.yml"))) {
            prometheus = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        assertThat(jobs).extracting(j -> j.get("job_name"))
                .containsExactlyInAnyOrder("strix-ingest", "strix-detector", "strix-aggregator");
        assertThat(jobs).allSatisfy(j -> assertThat(j.get("metrics_path")).isEqualTo("/metrics"));
        String dashboard = Files.readString(ROOT.resolve("deploy/grafana/dashboards/strix.json"));
        Map<String, Object> parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(dashboard); // JSON is YAML
        assertThat((List<?>) parsed.get("panels")).isNotEmpty();
        // Every metric the dashboard plots is one Strix exports (by name prefix).
        assertThat(dashboard).contains("strix_ingest_fps").contains("strix_ingest_frames_dropped_total");
    }
}
