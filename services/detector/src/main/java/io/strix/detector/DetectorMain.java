package io.strix.detector;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import io.strix.common.lifecycle.Lifecycle;
import io.strix.detector.inference.Accelerator;
import io.strix.detector.inference.InferenceEngine;
import io.strix.detector.inference.ModelException;
import io.strix.detector.postprocess.Postprocessor;
import io.strix.common.config.ConfigException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code strix detector}: MobileViT-YOLO (or any YOLOv8/v5 ONNX model) over strix.frames into strix.detections. */
public final class DetectorMain implements StrixCommand {
    public static final ConfigKey<Path> MODEL = ConfigKey.path("detector.model", null,
            "ONNX model file to run (YOLOv8 [B,4+nc,N] or YOLOv5 [B,N,5+nc] output), or a shipped model by name:"
                    + " mobilevit-yolo-xxs-384x256 (the default, 16:9 input), mobilevit-yolo-xxs-320x192 (16:9, 0.7x"
                    + " the CPU, mAP50 -15%), mobilevit-yolo-xxs-320 (square input for cameras that are not 16:9,"
                    + " -15%), mobilevit-yolo-xxs-448x256 (16:9, +6%, 1.2x the CPU) or mobilevit-yolo-xxs-576x320"
                    + " (16:9, +17%, 2x the CPU); all are inside the jar.").withFlag("--model");
    public static final ConfigKey<Integer> THREADS = ConfigKey.integer("detector.threads", 0, 0, 1024,
            "ONNX Runtime intra-op threads per inference; 0: one per physical core.").withFlag("--threads");
    public static final ConfigKey<Integer> BATCH = ConfigKey.integer("detector.batch", 4, 1, 256,
            "Most frames in one inference, gathered across partitions.").withFlag("--batch");
    public static final ConfigKey<Integer> BATCH_WAIT_MS = ConfigKey.integer("detector.batch.wait.ms", 20, 0, 10_000,
            "How long a batch waits for more frames once it has its first (ms).").withFlag("--batch-wait-ms");
    public static final ConfigKey<Integer> COMMIT_INTERVAL_MS = ConfigKey.integer("detector.commit.interval.ms", 100, 0,
            60_000, "A transaction of detections and consumed offsets is committed at least this often (ms) while "
                    + "frames keep coming, and at once when none follow.").withFlag("--commit-interval-ms");
    public static final ConfigKey<Integer> MAX_FRAME_AGE_MS = ConfigKey.integer("detector.max.frame.age.ms", 5_000, 0,
            86_400_000, "A frame older than this (ms since capture) when its turn comes is published as skipped "
                    + "(STALE) instead of detected; 0: no limit.").withFlag("--max-frame-age");
    public static final ConfigKey<Float> CONFIDENCE = ConfigKey.fraction("detector.confidence", 0.25f,
            "Detections need a score above this.").withFlag("--confidence");
    public static final ConfigKey<Float> IOU = ConfigKey.fraction("detector.iou", 0.45f,
            "Class-aware NMS drops a box overlapping a better one of its class by more IoU than this.")
            .withFlag("--iou");
    public static final ConfigKey<Integer> MAX_DETECTIONS = ConfigKey.integer("detector.max.detections", 100, 1,
            10_000, "Most detections per frame.").withFlag("--max-detections");
    public static final ConfigKey<Accelerator> EXECUTION_PROVIDER = ConfigKey.choice("detector.execution.provider",
            Accelerator.class, Accelerator.CPU, "Where ONNX Runtime runs: cpu; cuda (fails at start without CUDA); "
                    + "auto (CUDA when available). CUDA needs the onnxruntime_gpu build.")
            .withFlag("--execution-provider");
    public static final ConfigKey<Integer> CUDA_DEVICE = ConfigKey.integer("detector.cuda.device", 0, 0, 64,
            "GPU index for CUDA.").withFlag("--cuda-device");
    public static final ConfigKey<JpegDecode> JPEG_DECODE = ConfigKey.choice("detector.jpeg.decode", JpegDecode.class,
            JpegDecode.SCALED, "scaled: frames larger than the model input are decoded at 1/2, 1/4 or 1/8 size in "
                    + "libjpeg-turbo's DCT domain (several times faster); full: full size, then shrunk with OpenCV "
                    + "INTER_AREA.").withFlag("--jpeg-decode");
    public static final ConfigKey<String> GROUP = ConfigKey.string("detector.group", "strix-detector",
            "Consumer group whose members share the strix.frames partitions.").withFlag("--group");
    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.string("detector.instance.id", defaultInstanceId(),
            "Name of this instance in records and logs, and its transactional id; keep it across restarts so a "
                    + "restart aborts the dead instance's open transaction at once.").withFlag("--instance-id")
            .withDefaultLabel("HOST-PID");

    /** How JPEG frames are decoded. */
    public enum JpegDecode { SCALED, FULL }

    public static StrixCommand command() {
        return new DetectorMain();
    }

    @Override
    public String name() {
        return "detector";
    }

    @Override
    public String summary() {
        return "Run MobileViT-YOLO on ONNX Runtime over strix.frames and publish detections.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CommonKeys.BOOTSTRAP_SERVERS, MODEL, THREADS, BATCH, BATCH_WAIT_MS, COMMIT_INTERVAL_MS, MAX_FRAME_AGE_MS,
                CONFIDENCE, IOU, MAX_DETECTIONS, JPEG_DECODE, EXECUTION_PROVIDER, CUDA_DEVICE, GROUP, INSTANCE_ID,
                CommonKeys.HTTP_PORT, CommonKeys.API_TOKEN, CommonKeys.TOPIC_PARTITIONS, CommonKeys.TOPIC_REPLICATION);
    }

    @Override
    public int run(Config config) throws Exception {
        try (DetectorService service = new DetectorService(settings(config))) {
            int port;
            try {
                port = service.start();
            } catch (ModelException e) {
                throw new ConfigException(e.getMessage());
            }
            System.out.println("Detector ready (model " + service.model().name() + " " + service.model().version()
                    + "), HTTP on port " + port);
            System.out.flush();
            Lifecycle lifecycle = new Lifecycle("detector", service);
            service.onFailure(lifecycle::stop);
            if (service.failure() != null) {
                lifecycle.stop(); // failed before the callback was in place
            }
            lifecycle.awaitShutdown();
            return service.failure() == null ? 0 : 1;
        }
    }

    public static DetectorService.Settings settings(Config config) {
        return new DetectorService.Settings(config.get(CommonKeys.BOOTSTRAP_SERVERS), config.get(CommonKeys.HTTP_PORT),
                config.find(CommonKeys.API_TOKEN), config.get(INSTANCE_ID), config.get(GROUP),
                config.get(CommonKeys.TOPIC_PARTITIONS), config.get(CommonKeys.TOPIC_REPLICATION), config.find(MODEL),
                new InferenceEngine.Settings(config.get(THREADS), config.get(EXECUTION_PROVIDER),
                        config.get(CUDA_DEVICE)),
                new Postprocessor.Settings(config.get(CONFIDENCE), config.get(IOU), config.get(MAX_DETECTIONS)),
                config.get(BATCH), Duration.ofMillis(config.get(BATCH_WAIT_MS)),
                Duration.ofMillis(config.get(COMMIT_INTERVAL_MS)),
                Duration.ofMillis(config.get(MAX_FRAME_AGE_MS)), config.get(JPEG_DECODE) == JpegDecode.SCALED);
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "detector";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
