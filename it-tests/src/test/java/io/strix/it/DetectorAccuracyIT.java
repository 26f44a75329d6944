package io.strix.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.camsim.CamsimMain;
import io.strix.common.cli.CommandLauncher;
import io.strix.common.config.Config;
import io.strix.common.kafka.KafkaClients;
import io.strix.detector.DetectorMain;
import io.strix.detector.DetectorService;
import io.strix.schema.Detection;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.wire.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped models' accuracy through the real pipeline (the square 320 model and the 16:9 ones, 320x192 to 576x320):
 * camsim frames → strix.frames → detector → strix.detections,
 * scored against camsim's ground truth by model/eval.py's own mAP code, next to the Python evaluation of the same ONNX
 * file. The two must agree: the Java pipeline (OpenCV decode, letterbox, ONNX Runtime, NMS) loses no accuracy. And
 * each must find at least what its model card says, so a worse file cannot ship under a shipped name.
 */
class DetectorAccuracyIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();
    private static final Path ROOT = Path.of(System.getProperty("strix.it.tools", "tools")).getParent().getParent();
    private static final Pattern SUMMARY = Pattern.compile("mAP50-95=([0-9.]+) mAP50=([0-9.]+)");

    @TempDir
    static Path dir;
    /** One camsim dataset for all the models: 40 val frames. */
    static Path data;
    static List<Path> images;

    @BeforeAll
    static void generateFrames() throws Exception {
        data = dir.resolve("camsim");
        assertThat(CommandLauncher.runStandalone(CamsimMain.command(), new String[] {"dataset", "--out",
                data.toString(), "--images", "80", "--seed", "909", "--val-fraction", "0.5"})).isZero();
        try (Stream<Path> files = Files.list(data.resolve("images/val"))) {
            images = files.sorted().toList();
        }
    }

    /**
     * Each shipped model with the least mAP50 its Java pipeline must reach on these 40 frames: 0.02 under what the
     * shipped weights scored here when they shipped (models/README.md, "Java pipeline"). A file that scores less is a
     * worse model than its card says; new weights that score differently move these floors with the card.
     */
    @ParameterizedTest
    @CsvSource({"mobilevit-yolo-xxs-320x192.onnx, 0.41", "mobilevit-yolo-xxs-320.onnx, 0.42",
            "mobilevit-yolo-xxs-384x256.onnx, 0.46", "mobilevit-yolo-xxs-448x256.onnx, 0.52",
            "mobilevit-yolo-xxs-576x320.onnx, 0.58"})
    void pipelineMapAgreesWithPythonAndReachesTheModelCard(String modelFile, double leastMap50) throws Exception {
        Path model = ROOT.resolve("models").resolve(modelFile);
        String camera = "val-" + modelFile; // the broker is shared by the runs: each reads its own camera

        // Evaluation settings of model/eval.py: low confidence, NMS IoU 0.7, no latency budget.
        DetectorService detector = new DetectorService(DetectorMain.settings(Config.of(DetectorMain.command().keys(),
                Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "http.port", "0",
                        "detector.model", model.toString(),
                        "detector.instance.id", "accuracy", "topic.partitions", "3", "detector.confidence", "0.001",
                        "detector.iou", "0.7", "detector.max.frame.age.ms", "0", "detector.max.detections", "100"))));
        JsonObject predictions = new JsonObject();
        try (TopicWatcher<FrameDetections> detections = new TopicWatcher<>(KAFKA.bootstrapServers(), Topics.DETECTIONS)) {
            detector.start();
            List<int[]> sizes = new ArrayList<>();
            try (KafkaProducer<String, Frame> producer = new KafkaProducer<>(
                    KafkaClients.producer(KAFKA.bootstrapServers(), "accuracy"),
                    Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer())) {
                for (int seq = 0; seq < images.size(); seq++) {
                    byte[] jpeg = Files.readAllBytes(images.get(seq));
                    BufferedImage image = ImageIO.read(images.get(seq).toFile());
                    sizes.add(new int[] {image.getWidth(), image.getHeight()});
                    producer.send(new ProducerRecord<>(Topics.FRAMES.name(), camera, Frame.newBuilder()
                            .setCameraId(camera).setSeq(seq).setCaptureTime(Instant.now()).setWidth(image.getWidth())
                            .setHeight(image.getHeight()).setJpeg(ByteBuffer.wrap(jpeg)).build())).get();
                }
            }
            detections.await(d -> d.getFrame().getCameraId().equals(camera)
                            && d.getFrame().getFrameSeq() == images.size() - 1, Duration.ofSeconds(120),
                    "the detections of all " + images.size() + " frames");
            for (FrameDetections frame : detections.values(d -> d.getFrame().getCameraId().equals(camera))) {
                assertThat(frame.getSkipped()).isNull();
                int seq = (int) frame.getFrame().getFrameSeq();
                double width = sizes.get(seq)[0];
                double height = sizes.get(seq)[1];
                JsonArray boxes = new JsonArray();
                for (Detection d : frame.getDetections()) {
                    boxes.add(new JsonArray().add(d.getBox().getX() * width).add(d.getBox().getY() * height)
                            .add((d.getBox().getX() + d.getBox().getW()) * width)
                            .add((d.getBox().getY() + d.getBox().getH()) * height)
                            .add(d.getConfidence()).add(d.getClassId()));
                }
                predictions.put(images.get(seq).getFileName().toString(), boxes);
            }
        } finally {
            detector.close();
        }
        assertThat(predictions.size()).isEqualTo(images.size());
        Path file = dir.resolve("predictions-" + modelFile + ".json");
        Files.writeString(file, new JsonObject().put("predictions", predictions).encode());

        double[] java = evaluate("--predictions", file.toString(), "--data", data.resolve("data.yaml").toString());
        double[] python = evaluate("--onnx", model.toString(), "--data", data.resolve("data.yaml").toString());
        System.out.printf("detector accuracy of %s on %d camsim val frames: Java pipeline mAP50-95=%.3f mAP50=%.3f; "
                + "model/eval.py --onnx mAP50-95=%.3f mAP50=%.3f%n", modelFile, images.size(), java[0], java[1],
                python[0], python[1]);
        assertThat(java[1]).as("mAP50, Java pipeline vs Python").isCloseTo(python[1], org.assertj.core.data.Offset.offset(0.02));
        assertThat(java[0]).as("mAP50-95, Java pipeline vs Python").isCloseTo(python[0], org.assertj.core.data.Offset.offset(0.01));
        assertThat(java[1]).as("mAP50 of the shipped %s, at least its card's figure on these frames less 0.02", modelFile)
                .isGreaterThanOrEqualTo(leastMap50);
    }

    /** Runs model/eval.py and returns {mAP50-95, mAP50} from its last line. */
    private static double[] evaluate(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", ROOT.resolve("model/eval.py").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Matcher m = SUMMARY.matcher(out.strip().lines().reduce((a, b) -> b).orElse(""));
        assertThat(m.matches()).as(out).isTrue();
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }
}
