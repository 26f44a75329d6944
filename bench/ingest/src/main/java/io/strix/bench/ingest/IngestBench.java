package io.strix.bench.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strix.ingest.source.FfmpegSource;
import io.strix.ingest.worker.CameraWorker;
import io.strix.ingest.worker.FrameSink;
import io.strix.ingest.worker.WorkerSettings;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much CPU ingest spends per frame, next to the floor of decoding the same file with the ffmpeg CLI, and so how
 * many cameras one core sustains. The camera is a file (1280x720 H.264 at 25 fps, made by ffmpeg's testsrc2) read as
 * fast as possible: the real worker (FFmpeg decode, timestamp sampling to 10 fps, scaling to 640x360, JPEG) runs,
 * with frames counted instead of sent to Kafka.
 *
 * <pre>./mvnw -q -pl bench/ingest -am package -DskipTests && java -cp "$(cat bench/ingest/target/classpath)" ...</pre>
 * (see bench/README.md for the one-line command)
 */
public final class IngestBench {
    private static final int RUNS = 5;
    private static final int SECONDS = 20;
    private static final int SOURCE_FPS = 25;
    private static final float TARGET_FPS = 10;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("strix-bench-ingest");
        Path clip = dir.resolve("clip.mp4");
        run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=1280x720:rate=" + SOURCE_FPS, "-t", Integer.toString(SECONDS), "-c:v", "libx264",
                "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p", clip.toString()));
        int sourceFrames = SECONDS * SOURCE_FPS;

        List<Double> floor = new ArrayList<>();
        List<Double> ingest = new ArrayList<>();
        int published = 0;
        measureIngest(clip); // warm-up: JIT, natives
        for (int i = 0; i < RUNS; i++) {
            floor.add(ffmpegDecodeCpuSeconds(clip));
            Result r = measureIngest(clip);
            ingest.add(r.cpuSeconds);
            published = r.published;
        }
        double floorMs = median(floor) * 1000 / sourceFrames;
        double ingestMs = median(ingest) * 1000 / sourceFrames;
        double cpuPerVideoSecond = median(ingest) / SECONDS;
        System.out.printf("clip: 1280x720 H.264, %d fps, %d s (%d frames); ingest samples to %.0f fps at 640x360%n",
                SOURCE_FPS, SECONDS, sourceFrames, TARGET_FPS);
        System.out.printf("runs: %d, medians; process CPU time (user+sys)%n", RUNS);
        System.out.printf("ffmpeg -threads 1 decode to null: %.2f ms CPU per source frame%n", floorMs);
        System.out.printf("strix ingest worker:            %.2f ms CPU per source frame (%.2f ms per published frame, %d published)%n",
                ingestMs, median(ingest) * 1000 / published, published);
        System.out.printf("ratio ingest / decode floor:     %.2f%n", ingestMs / floorMs);
        System.out.printf("one core sustains about %.1f cameras of 1280x720@%d fps published at 640x360@%.0f fps%n",
                1 / cpuPerVideoSecond, SOURCE_FPS, TARGET_FPS);
        System.out.printf("raw: floor=%s ingest=%s%n", floor, ingest);
    }

    private record Result(double cpuSeconds, int published) {
    }

    private static Result measureIngest(Path clip) throws Exception {
        CameraConfig camera = CameraConfig.newBuilder().setCameraId("bench").setUrl(clip.toUri().toString())
                .setTargetFps(TARGET_FPS).setMaxWidth(640)
                .setOptions(Map.of("loop", "false", "realtime", "false")).setUpdatedAt(Instant.now()).build();
        AtomicInteger published = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(1);
        FrameSink sink = new FrameSink() {
            @Override
            public void send(Frame frame, Consumer<Exception> done) {
                published.incrementAndGet();
                done.accept(null);
            }

            @Override
            public void status(CameraStatus status) {
                // The end of the file shows as a reconnect: the measurement is over.
                if (status.getState() == CameraState.RECONNECTING) {
                    ended.countDown();
                }
            }
        };
        WorkerSettings settings = new WorkerSettings(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(60), 64, 64);
        long cpuBefore = processCpuNanos();
        CameraWorker worker = new CameraWorker(camera, "bench", 0, FfmpegSource.factory(), sink, settings,
                new SimpleMeterRegistry());
        worker.start();
        if (!ended.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the clip did not end");
        }
        long cpu = processCpuNanos() - cpuBefore;
        worker.close();
        return new Result(cpu / 1e9, published.get());
    }

    private static double ffmpegDecodeCpuSeconds(Path clip) throws Exception {
        String output = run(List.of("ffmpeg", "-benchmark", "-threads", "1", "-i", clip.toString(), "-f", "null", "-"));
        Matcher m = Pattern.compile("utime=([0-9.]+)s stime=([0-9.]+)s").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no -benchmark line in ffmpeg's output:\n" + output);
        }
        return Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            r.lines().forEach(l -> out.append(l).append('\n'));
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed:\n" + out);
        }
        return out.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
