package io.strix.ingest.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.schema.CameraConfig;
import io.strix.schema.RtspTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraSpecsTest {
    @Test
    void parsesFlagWithTrailingOptions() {
        CameraConfig c = CameraSpecs.parseFlag("door=rtsp://u:p@10.0.0.5/live?a=1,b=2,fps=2.5,width=960,transport=udp");
        assertThat(c.getCameraId()).isEqualTo("door");
        assertThat(c.getUrl()).isEqualTo("rtsp://u:p@10.0.0.5/live?a=1,b=2");
        assertThat(c.getTargetFps()).isEqualTo(2.5f);
        assertThat(c.getMaxWidth()).isEqualTo(960);
        assertThat(c.getRtspTransport()).isEqualTo(RtspTransport.UDP);
    }

    @Test
    void flagWithoutOptionsGetsDefaults() {
        CameraConfig c = CameraSpecs.parseFlag("lobby=rtsp://cam/1");
        assertThat(c.getTargetFps()).isEqualTo(5f);
        assertThat(c.getRtspTransport()).isEqualTo(RtspTransport.TCP);
        assertThat(c.getEnabled()).isTrue();
    }

    @Test
    void rejectsBadFieldsNamingEachOne() {
        assertThatThrownBy(() -> CameraSpecs.parseFlag("bad id=ftp://host/x,fps=500"))
                .isInstanceOfSatisfying(InvalidCameraException.class, e -> assertThat(e.problems())
                        .extracting(CameraValidation.Problem::field).containsExactlyInAnyOrder("cameraId", "url", "targetFps"));
        assertThatThrownBy(() -> CameraSpecs.parseFlag("x=rtsp://h/a,fps=fast"))
                .hasMessageContaining("fps: 'fast' is not a number");
        assertThatThrownBy(() -> CameraSpecs.fromMap(Map.of("cameraId", "a", "url", "rtsp://h/", "colour", "red"), "body"))
                .hasMessageContaining("colour: unknown field");
        assertThatThrownBy(() -> CameraSpecs.parseFlag("no-equals-sign")).hasMessageContaining("ID=URL");
    }

    @Test
    void validatesUrls() {
        assertThat(CameraValidation.checkUrl("rtsp:///nohost")).hasValueSatisfying(p -> assertThat(p.message()).contains("no host"));
        assertThat(CameraValidation.checkUrl("rtsp://h/a b")).hasValueSatisfying(p -> assertThat(p.message()).contains("not a valid URL"));
        assertThat(CameraValidation.checkUrl("gopher://h/")).hasValueSatisfying(p -> assertThat(p.message()).contains("not gopher"));
        assertThat(CameraValidation.checkUrl("sim://street?seed=1")).isEmpty();
        assertThat(CameraValidation.checkUrl("file:///videos/a.mp4")).isEmpty();
    }

    @Test
    void readsYamlAndJsonCameraFiles(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("cams.yaml"), """
                cameras:
                  - cameraId: gate
                    url: rtsp://10.0.0.9/stream
                    targetFps: 2
                    options: {buffer_size: "1024000"}
                  - {cameraId: yard, url: "file:///v/yard.mp4", loop: false}
                """);
        List<CameraConfig> cameras = CameraSpecs.readFile(yaml);
        assertThat(cameras).extracting(CameraConfig::getCameraId).containsExactly("gate", "yard");
        assertThat(cameras.get(0).getOptions()).containsEntry("buffer_size", "1024000");
        assertThat(cameras.get(1).getOptions()).containsEntry("loop", "false");

        Path json = Files.writeString(dir.resolve("cams.json"), "[{\"cameraId\": \"a\", \"url\": \"rtsp://h/1\"}]");
        assertThat(CameraSpecs.readFile(json)).hasSize(1);

        Path broken = Files.writeString(dir.resolve("broken.yaml"), "cameras: 3");
        assertThatThrownBy(() -> CameraSpecs.readFile(broken)).hasMessageContaining("must hold a list");
    }
}
