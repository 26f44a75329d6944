package io.strix.it.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.ingest.IngestService;
import io.strix.it.KafkaFixture;
import io.strix.it.RtspServer;
import io.strix.it.TopicWatcher;
import io.strix.schema.Frame;
import io.strix.wire.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources besides RTSP: an HLS playlist and an MJPEG stream over HTTP (made by the ffmpeg CLI, served by a real HTTP
 * server), RTMP (the ffmpeg CLI as a listening RTMP server), and camsim's sim:// cameras.
 */
class IngestOtherSourcesIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    @Test
    void ingestsHlsMjpegRtmpAndSim(@TempDir Path dir) throws Exception {
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "6", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "25", "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                dir.resolve("live.m3u8").toString());
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "4", "-c:v", "mjpeg", "-f", "mpjpeg",
                dir.resolve("stream.mjpeg").toString());
        int port = RtspServer.freePort();
        Process http = new ProcessBuilder("/usr/bin/python3", "-m", "http.server", Integer.toString(port),
                "--bind", "127.0.0.1", "--directory", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("http.log").toFile()).start();
        int rtmpPort = RtspServer.freePort();
        Process rtmp = new ProcessBuilder("ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i",
                "testsrc2=size=480x270:rate=15", "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "15",
                "-f", "flv", "-listen", "1", "rtmp://127.0.0.1:" + rtmpPort + "/live/cam")
                .redirectErrorStream(true).redirectOutput(dir.resolve("rtmp.log").toFile()).start();
        try (TopicWatcher<Frame> frames = new TopicWatcher<>(KAFKA.bootstrapServers(), Topics.FRAMES);
             IngestService ingest = IngestTesting.start(KAFKA.bootstrapServers(), "ingest-http", "strix-ingest", List.of(
                     "hls=http://127.0.0.1:" + port + "/live.m3u8,fps=5",
                     "mjpeg=http://127.0.0.1:" + port + "/stream.mjpeg,fps=5",
                     "rtmp=rtmp://127.0.0.1:" + rtmpPort + "/live/cam,fps=5",
                     "sim=sim://crossing?seed=4&fps=2&size=640x360"))) {
            Frame hls = frames.await(f -> f.getCameraId().equals("hls"), Duration.ofSeconds(40), "a frame from HLS");
            assertThat(hls.getWidth()).isEqualTo(640);
            assertThat(hls.getHeight()).isEqualTo(360);
            Frame mjpeg = frames.await(f -> f.getCameraId().equals("mjpeg"), Duration.ofSeconds(40), "a frame from MJPEG");
            assertThat(mjpeg.getWidth()).isEqualTo(320);
            Frame fromRtmp = frames.await(f -> f.getCameraId().equals("rtmp"), Duration.ofSeconds(40), "a frame from RTMP");
            assertThat(fromRtmp.getWidth()).isEqualTo(480);
            Frame fromSim = frames.await(f -> f.getCameraId().equals("sim") && f.getSeq() >= 2, Duration.ofSeconds(40),
                    "three frames from a sim:// camera");
            assertThat(fromSim.getWidth()).isEqualTo(640);
            assertThat(ingest.workers()).containsKeys("hls", "mjpeg", "rtmp", "sim");
        } finally {
            http.destroyForcibly();
            rtmp.destroyForcibly();
        }
    }

    private static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
