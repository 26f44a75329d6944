package io.strix.detector.bench;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.detector.DetectorService;
import io.strix.detector.TestImages;
import io.strix.detector.decode.JpegDecoder;
import io.strix.detector.inference.Accelerator;
import io.strix.detector.inference.InferenceEngine;
import io.strix.detector.inference.ModelSource;
import io.strix.detector.pipeline.DetectorMetrics;
import io.strix.detector.pipeline.DetectorMetrics.Stage;
import io.strix.detector.pipeline.FrameInput;
import io.strix.detector.pipeline.FramePipeline;
import io.strix.detector.postprocess.Postprocessor;
import io.strix.detector.preprocess.LetterboxWriter;
import io.strix.kafka.EmbeddedKafka;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.wire.Topics;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Detector throughput against a bare ONNX Runtime loop on the same model, threads, batch size and input, measured in
 * one run with the modes interleaved round by round (the machines are shared and noisy): the bare loop (letterboxed
 * tensors prepared once, session.run only), the in-process pipeline (decode, letterbox, infer, NMS, records; no
 * Kafka), and the real service end to end through an embedded Kafka broker (consumer group, batching, transactions).
 * Prints medians, ratios, per-stage latency p50/p99 and an optional batch-size sweep. See bench/detector/README.md.
 */
public final class DetectorBenchmark {
    private final Map<String, String> options;
    private final Path model;
    private final int threads;
    private final int batch;
    private final int frames;
    private final int rounds;
    private final boolean spinWait;
    private final boolean scaledDecode;
    private final Duration commitInterval;
    private final byte[] jpeg;
    /** CPU milliseconds of this JVM per frame, by mode, of the main rounds. */
    private final Map<String, List<Double>> cpu = new HashMap<>();
    private final int width;
    private final int height;

    private DetectorBenchmark(Map<String, String> options) throws Exception {
        this.options = options;
        Path fixtures = Path.of(options.getOrDefault("fixtures", "services/detector/target/fixtures"));
        model = Path.of(options.getOrDefault("model", fixtures.resolve("xxs-320.onnx").toString()));
        threads = Integer.parseInt(options.getOrDefault("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
        batch = Integer.parseInt(options.getOrDefault("batch", "4"));
        frames = Integer.parseInt(options.getOrDefault("frames", "240"));
        rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        spinWait = Boolean.parseBoolean(options.getOrDefault("spin", "false"));
        commitInterval = Duration.ofMillis(Long.parseLong(options.getOrDefault("commit-interval-ms", "100")));
        scaledDecode = !options.getOrDefault("jpeg-decode", "scaled").equals("full");
        String[] size = options.getOrDefault("frame-size", "1280x720").split("x");
        width = Integer.parseInt(size[0]);
        height = Integer.parseInt(size[1]);
        jpeg = cameraFrame(Files.readAllBytes(fixtures.resolve("scene.png")), width, height);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new DetectorBenchmark(options).run();
        System.exit(0);
    }

    /** The test scene scaled to a camera frame size and JPEG-encoded as ingest would (quality 90). */
    private static byte[] cameraFrame(byte[] png, int width, int height) throws Exception {
        try (Mat scene = TestImages.decodeAnyImage(png); Mat scaled = new Mat(); BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, 90)) {
            resize(scene, scaled, new Size(width, height), 0, 0, INTER_LINEAR);
            imencode(".jpg", scaled, out, params);
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    private InferenceEngine.Settings engineSettings() {
        return new InferenceEngine.Settings(threads, Accelerator.CPU, 0, spinWait);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "model %s, %d intra-op threads (spin %s), batch %d, commit interval %d ms, JPEG decode %s, %d frames "
                        + "of %dx%d (%d KB JPEG) per measurement, %d rounds, %d CPUs%n", model.getFileName(), threads,
                spinWait, batch, commitInterval.toMillis(), scaledDecode ? "scaled" : "full", frames, width, height, jpeg.length / 1024, rounds, Runtime.getRuntime().availableProcessors());
        Path dataDir = Files.createTempDirectory("detector-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start("localhost", 0, dataDir, Map.of())) {
            try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "bench"))) {
                TopicAdmin.ensureTopics(admin, Topics.ALL, 4, 1);
                awaitLeaders(admin);
            }
            produceFrames(kafka.bootstrapServers(), frames);
            List<Double> bare = new ArrayList<>();
            List<Double> pipeline = new ArrayList<>();
            List<Double> service = new ArrayList<>();
            Map<Stage, List<double[]>> stages = new HashMap<>();
            for (int round = 1; round <= rounds; round++) {
                bare.add(bareLoop(batch, frames));
                pipeline.add(inProcess(batch, frames));
                service.add(throughKafka(kafka.bootstrapServers(), batch, frames, "round" + round, stages));
                System.out.printf(Locale.ROOT, "round %d: bare ORT %.1f fps, pipeline %.1f fps (%.2f), service via Kafka"
                                + " %.1f fps (%.2f)%n", round, bare.get(round - 1), pipeline.get(round - 1),
                        pipeline.get(round - 1) / bare.get(round - 1), service.get(round - 1),
                        service.get(round - 1) / bare.get(round - 1));
            }
            System.out.printf(Locale.ROOT, "%nmedian of %d rounds (frames/s):%n", rounds);
            System.out.printf(Locale.ROOT, "  bare ONNX Runtime loop      %7.1f%n", median(bare));
            System.out.printf(Locale.ROOT, "  pipeline in process         %7.1f   ratio %.2f (median of per-round ratios %.2f)%n",
                    median(pipeline), median(pipeline) / median(bare), medianRatio(pipeline, bare));
            System.out.printf(Locale.ROOT, "  service through Kafka (EOS) %7.1f   ratio %.2f (median of per-round ratios %.2f)%n",
                    median(service), median(service) / median(bare), medianRatio(service, bare));
            System.out.printf(Locale.ROOT, "%nCPU time of this JVM per frame (ms, median; the service's includes the"
                    + " embedded broker, which shares this JVM and these cores): bare %.1f, pipeline %.1f, service %.1f%n",
                    median(cpu.get("bare")), median(cpu.get("pipeline")), median(cpu.get("service")));
            System.out.printf(Locale.ROOT, "%nper-stage time per batch of up to %d in the service (ms; median over rounds of p50 / p99):%n", batch);
            for (Stage stage : Stage.values()) {
                List<double[]> values = stages.get(stage);
                System.out.printf(Locale.ROOT, "  %-12s p50 %8.2f   p99 %8.2f%n", stage.name().toLowerCase(Locale.ROOT),
                        median(values.stream().map(v -> v[0]).toList()), median(values.stream().map(v -> v[1]).toList()));
            }
            String sweep = options.get("sweep");
            cpu.clear();
            if (sweep != null) {
                int sweepFrames = Integer.parseInt(options.getOrDefault("sweep-frames", Integer.toString(frames)));
                System.out.printf(Locale.ROOT, "%nbatch-size sweep (%d frames each; frames/s):%n", sweepFrames);
                System.out.printf(Locale.ROOT, "  %5s %10s %10s %10s %8s%n", "batch", "bare ORT", "pipeline", "service", "ratio");
                for (String b : sweep.split(",")) {
                    int size = Integer.parseInt(b.strip());
                    double bareFps = bareLoop(size, sweepFrames);
                    double pipelineFps = inProcess(size, sweepFrames);
                    double serviceFps = throughKafka(kafka.bootstrapServers(), size, sweepFrames, "sweep" + size,
                            new HashMap<>());
                    System.out.printf(Locale.ROOT, "  %5d %10.1f %10.1f %10.1f %8.2f%n", size, bareFps, pipelineFps,
                            serviceFps, serviceFps / bareFps);
                }
            }
        }
    }

    /**
     * Waits until every new partition answers a ListOffsets at its leader. Producing right after creation can meet
     * a broker that is not leader yet; the idempotent producer then got stuck retrying out-of-order sequences.
     */
    private static void awaitLeaders(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (String topic : List.of(Topics.FRAMES.name(), Topics.DETECTIONS.name(), Topics.DLQ.name())) {
            for (int p = 0; p < 4; p++) {
                partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                admin.listOffsets(partitions).all().get();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // polling for a condition
            }
        }
    }

    private void produceFrames(String bootstrap, int count) throws Exception {
        Map<String, Object> props = KafkaClients.producer(bootstrap, "bench-frames");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String camera = "bench-" + (i % 4);
                Frame frame = frame(camera, i / 4);
                producer.send(new ProducerRecord<>(Topics.FRAMES.name(), camera.getBytes(StandardCharsets.UTF_8),
                        Topics.FRAMES.valueSerde().serializer().serialize(Topics.FRAMES.name(), frame))).get();
            }
        }
    }

    private Frame frame(String camera, long seq) {
        return new Frame(camera, seq, Instant.now(), null, width, height, ByteBuffer.wrap(jpeg), "bench");
    }

    /** session.run on prepared tensors: the ceiling. */
    private double bareLoop(int batchSize, int count) throws Exception {
        try (InferenceEngine engine = InferenceEngine.open(ModelSource.file(model), engineSettings());
             LetterboxWriter writer = new LetterboxWriter(engine.model().input());
             JpegDecoder decoder = new JpegDecoder()) {
            FloatBuffer input = InferenceEngine.direct(batchSize * engine.inputFloatsPerImage());
            Mat picture = decoder.decode(ByteBuffer.wrap(jpeg));
            for (int i = 0; i < batchSize; i++) {
                writer.write(picture, input, i);
            }
            for (int i = 0; i < 3; i++) {
                engine.run(input, batchSize);
            }
            int runs = Math.max(1, count / batchSize);
            long started = System.nanoTime();
            long cpuStarted = cpuNanos();
            for (int i = 0; i < runs; i++) {
                engine.run(input, batchSize);
            }
            double fps = runs * batchSize / ((System.nanoTime() - started) / 1e9);
            recordCpu("bare", cpuStarted, runs * batchSize);
            return fps;
        }
    }

    /** decode, letterbox, infer, post-process and build records, one batch after another on this thread. */
    private double inProcess(int batchSize, int count) throws Exception {
        try (InferenceEngine engine = InferenceEngine.open(ModelSource.file(model), engineSettings());
             FramePipeline pipeline = new FramePipeline(engine, new Postprocessor.Settings(0.25f, 0.45f, 100),
                     new FramePipeline.Settings(batchSize, Duration.ZERO, "bench", scaledDecode),
                     new DetectorMetrics(new SimpleMeterRegistry()), Clock.systemUTC())) {
            List<FrameInput> inputs = new ArrayList<>();
            for (int i = 0; i < batchSize; i++) {
                inputs.add(new FrameInput(frame("bench", i), 0, i));
            }
            for (int i = 0; i < 3; i++) {
                pipeline.process(inputs);
            }
            int runs = Math.max(1, count / batchSize);
            long started = System.nanoTime();
            long cpuStarted = cpuNanos();
            for (int i = 0; i < runs; i++) {
                pipeline.process(inputs);
            }
            double fps = runs * batchSize / ((System.nanoTime() - started) / 1e9);
            recordCpu("pipeline", cpuStarted, runs * batchSize);
            return fps;
        }
    }

    /**
     * The real service reads all frames in a new consumer group; throughput from its first to its last committed
     * record (detectedAt), so the start-up (model load, group join) is not counted.
     */
    private double throughKafka(String bootstrap, int batchSize, int count, String instance,
                                Map<Stage, List<double[]>> stages) throws Exception {
        DetectorService.Settings settings = new DetectorService.Settings(bootstrap, 0, Optional.empty(),
                "bench-" + instance, "bench-" + instance, 4, 1, Optional.of(model), engineSettings(),
                new Postprocessor.Settings(0.25f, 0.45f, 100), batchSize, Duration.ofMillis(20), commitInterval, Duration.ZERO,
                scaledDecode);
        try (DetectorService service = new DetectorService(settings);
             KafkaConsumer<byte[], byte[]> reader = committedReader(bootstrap)) {
            service.start();
            List<Instant> detected = new ArrayList<>();
            long cpuStarted = 0;
            int seenAtCpuStart = 0;
            long deadline = System.currentTimeMillis() + 600_000;
            while (detected.size() < count) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    FrameDetections d = Topics.DETECTIONS.decode(record);
                    if (d.getDetectorInstance().equals("bench-" + instance)) {
                        detected.add(d.getDetectedAt());
                    }
                }
                if (cpuStarted == 0 && !detected.isEmpty()) {
                    cpuStarted = cpuNanos(); // from the first committed batch: start-up not counted
                    seenAtCpuStart = detected.size();
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("only " + detected.size() + " of " + count + " frames detected");
                }
            }
            for (Stage stage : Stage.values()) {
                Timer timer = service.metrics().stage(stage);
                ValueAtPercentile[] p = timer.takeSnapshot().percentileValues();
                stages.computeIfAbsent(stage, s -> new ArrayList<>()).add(new double[] {
                    p[0].value(java.util.concurrent.TimeUnit.MILLISECONDS),
                    p[1].value(java.util.concurrent.TimeUnit.MILLISECONDS)});
            }
            recordCpu("service", cpuStarted, detected.size() - seenAtCpuStart);
            Instant first = detected.stream().min(Instant::compareTo).orElseThrow();
            Instant last = detected.stream().max(Instant::compareTo).orElseThrow();
            // The first batch's frames share one detectedAt: count the frames after it.
            long inFirstBatch = detected.stream().filter(first::equals).count();
            return (count - inFirstBatch) / (Duration.between(first, last).toNanos() / 1e9);
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private void recordCpu(String mode, long cpuStarted, int frames) {
        if (frames > 0) {
            cpu.computeIfAbsent(mode, m -> new ArrayList<>()).add((cpuNanos() - cpuStarted) / 1e6 / frames);
        }
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
        Map<String, Object> props = KafkaClients.consumer(bootstrap, "bench-reader", "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DETECTIONS.name()).stream()
                .map(p -> new TopicPartition(Topics.DETECTIONS.name(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before the service starts writing
        return consumer;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double medianRatio(List<Double> numerators, List<Double> denominators) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) {
            ratios.add(numerators.get(i) / denominators.get(i));
        }
        return median(ratios);
    }
}
