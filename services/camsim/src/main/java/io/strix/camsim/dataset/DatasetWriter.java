package io.strix.camsim.dataset;

import io.strix.camsim.motion.Simulation;
import io.strix.camsim.render.FrameRenderer;
import io.strix.camsim.render.FrameSize;
import io.strix.camsim.render.RenderedFrame;
import io.strix.camsim.scenario.Scenario;
import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.truth.ObjectTruth;
import io.strix.camsim.world.Rng;
import io.strix.camsim.world.Scene;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes a detection dataset of still frames: many scenes (each its own seed: layout, camera, hour, weather, traffic),
 * a dozen frames from each taken seconds apart, as JPEG at varying quality, with YOLO labels, COCO annotations and
 * data.yaml. Whole scenes go to train or val, so the two never share a scene. The output depends only on the options,
 * not on the number of threads.
 */
public final class DatasetWriter {
    /** YOLO class order in data.yaml. */
    public static final List<ObjectClass> CLASSES = List.of(ObjectClass.PERSON, ObjectClass.BICYCLE, ObjectClass.CAR,
            ObjectClass.MOTORCYCLE, ObjectClass.BUS, ObjectClass.TRUCK, ObjectClass.DOG);

    /**
     * @param imagesPerScene frames taken from each scene
     * @param valFraction    share of scenes (and so of images) that go to val
     */
    public record Options(Path out, int images, long seed, FrameSize size, double valFraction, Scenario scenario,
                          int threads, int imagesPerScene) {
        public Options {
            if (images < 1) {
                throw new IllegalArgumentException("images must be at least 1");
            }
            if (valFraction < 0 || valFraction >= 1) {
                throw new IllegalArgumentException("val fraction must be in [0, 1), got " + valFraction);
            }
        }
    }

    /** What was written. */
    public record Summary(int trainImages, int valImages, int trainScenes, int valScenes, long[] labels,
                          long ignored, double seconds) {
        public double imagesPerSecond() {
            return (trainImages + valImages) / Math.max(1e-9, seconds);
        }
    }

    private record Image(String file, String split, long sceneSeed, double time, List<ObjectTruth> objects,
                         int width, int height, double quality) {
    }

    private DatasetWriter() {
    }

    public static Summary write(Options options, IntConsumer progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path out = options.out();
        for (String split : List.of("train", "val")) {
            Files.createDirectories(out.resolve("images").resolve(split));
            Files.createDirectories(out.resolve("labels").resolve(split));
        }
        Files.createDirectories(out.resolve("annotations"));
        int perScene = Math.max(1, options.imagesPerScene());
        int scenes = (options.images() + perScene - 1) / perScene;
        boolean[] val = valScenes(scenes, options.valFraction());
        LabelRule rule = LabelRule.forSize(options.size());
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()), r -> {
            Thread t = new Thread(r, "camsim-dataset");
            t.setDaemon(true);
            return t;
        });
        List<Future<List<Image>>> results = new ArrayList<>();
        try {
            for (int s = 0; s < scenes; s++) {
                int scene = s;
                int count = Math.min(perScene, options.images() - s * perScene);
                results.add(pool.submit(() -> {
                    List<Image> images = scene(options, scene, count, val[scene] ? "val" : "train", rule);
                    progress.accept(done.addAndGet(images.size()));
                    return images;
                }));
            }
            List<Image> all = new ArrayList<>();
            for (Future<List<Image>> f : results) {
                try {
                    all.addAll(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    throw new IllegalStateException("rendering a dataset scene failed: " + cause, cause);
                }
            }
            long[] labels = new long[CLASSES.size()];
            long[] ignored = new long[1];
            for (String split : List.of("train", "val")) {
                List<Image> images = all.stream().filter(i -> i.split().equals(split)).toList();
                writeCoco(out.resolve("annotations").resolve(split + ".json"), images, rule, options, labels, ignored);
            }
            writeYaml(out, options, scenes, val);
            int trainImages = (int) all.stream().filter(i -> i.split().equals("train")).count();
            int valScenes = 0;
            for (boolean v : val) {
                valScenes += v ? 1 : 0;
            }
            return new Summary(trainImages, all.size() - trainImages, scenes - valScenes, valScenes, labels,
                    ignored[0], (System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every k-th scene goes to val, so the val share is as close to the fraction as whole scenes allow. */
    static boolean[] valScenes(int scenes, double fraction) {
        boolean[] val = new boolean[scenes];
        if (fraction <= 0 || scenes < 2) {
            return val;
        }
        int wanted = Math.max(1, (int) Math.round(scenes * fraction));
        wanted = Math.min(wanted, scenes - 1);
        for (int i = 0; i < wanted; i++) {
            val[(int) ((i + 0.5) * scenes / wanted)] = true;
        }
        return val;
    }

    /** The seed of the scene with this index; train and val scenes differ because their indices do. */
    public static long sceneSeed(long seed, int scene) {
        return Rng.hash(seed, scene, 0xDA7A5E7L) & Long.MAX_VALUE;
    }

    private static List<Image> scene(Options o, int index, int count, String split, LabelRule rule)
            throws IOException {
        long sceneSeed = sceneSeed(o.seed(), index);
        Scene scene = new Scene(o.scenario(), sceneSeed);
        Simulation sim = new Simulation(scene);
        FrameRenderer renderer = new FrameRenderer(scene, o.size().width(), o.size().height());
        Rng rng = new Rng(Rng.hash(sceneSeed, 0x5A3FL));
        List<Image> images = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            double gap = k == 0 ? rng.uniform(0, 4) : rng.uniform(3, 8);
            for (double t = 0; t < gap; t += 0.25) {
                sim.step(0.25);
            }
            RenderedFrame frame = renderer.render(sim, k + 1);
            String name = String.format(Locale.ROOT, "%06d", index * o.imagesPerScene() + k);
            double quality = rng.uniform(0.55, 0.95);
            writeJpeg(frame.image(), o.out().resolve("images").resolve(split).resolve(name + ".jpg"), quality);
            StringBuilder labels = new StringBuilder();
            double w = o.size().width();
            double h = o.size().height();
            for (ObjectTruth t : frame.truth().objects()) {
                if (rule.accepts(t)) {
                    labels.append(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", t.objectClass().yoloIndex(),
                            (t.x() + t.width() / 2.0) / w, (t.y() + t.height() / 2.0) / h, t.width() / w,
                            t.height() / h));
                }
            }
            Files.writeString(o.out().resolve("labels").resolve(split).resolve(name + ".txt"), labels.toString());
            images.add(new Image(name + ".jpg", split, sceneSeed, sim.time(), frame.truth().objects(),
                    o.size().width(), o.size().height(), quality));
        }
        return images;
    }

    static void writeJpeg(BufferedImage image, Path file, double quality) throws IOException {
        // The JPEG encoder takes interleaved bytes fastest.
        BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((java.awt.image.DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        int[] src = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0, j = 0; i < src.length; i++, j += 3) {
            int p = src[i];
            dst[j] = (byte) p;
            dst[j + 1] = (byte) (p >> 8);
            dst[j + 2] = (byte) (p >> 16);
        }
        image = bgr;
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream os = Files.newOutputStream(file); ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality((float) quality);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static void writeCoco(Path file, List<Image> images, LabelRule rule, Options o, long[] labels,
                                  long[] ignored) throws IOException {
        StringBuilder sb = new StringBuilder(1 << 20);
        sb.append("{\"info\":{\"description\":").append(Json.quote("camsim synthetic street scenes, scenario "
                + o.scenario().name() + ", seed " + o.seed())).append(",\"version\":\"1\",\"year\":2025},\n");
        sb.append("\"licenses\":[],\n\"categories\":[");
        for (int i = 0; i < CLASSES.size(); i++) {
            ObjectClass c = CLASSES.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(c.cocoId()).append(",\"name\":")
                    .append(Json.quote(c.label())).append(",\"supercategory\":")
                    .append(Json.quote(c == ObjectClass.PERSON ? "person" : c == ObjectClass.DOG ? "animal"
                            : "vehicle")).append('}');
        }
        sb.append("],\n\"images\":[\n");
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            sb.append(i == 0 ? "" : ",\n").append("{\"id\":").append(i + 1).append(",\"file_name\":")
                    .append(Json.quote(im.file())).append(",\"width\":").append(im.width()).append(",\"height\":")
                    .append(im.height()).append(",\"scene_seed\":").append(im.sceneSeed()).append(",\"time\":")
                    .append(Json.num(im.time())).append(",\"jpeg_quality\":").append(Json.num(im.quality()))
                    .append('}');
        }
        sb.append("],\n\"annotations\":[\n");
        long id = 1;
        boolean first = true;
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            for (ObjectTruth t : im.objects()) {
                if (!t.visible()) {
                    continue;
                }
                boolean label = rule.accepts(t);
                if (label) {
                    labels[CLASSES.indexOf(t.objectClass())]++;
                } else {
                    ignored[0]++;
                }
                sb.append(first ? "" : ",\n").append("{\"id\":").append(id++).append(",\"image_id\":").append(i + 1)
                        .append(",\"category_id\":").append(t.objectClass().cocoId()).append(",\"bbox\":[")
                        .append(t.x()).append(',').append(t.y()).append(',').append(t.width()).append(',')
                        .append(t.height()).append("],\"area\":").append(t.visiblePixels()).append(",\"iscrowd\":")
                        .append(label ? 0 : 1).append(",\"track_id\":").append(t.id()).append(",\"visibility\":")
                        .append(Json.num(t.visibility())).append(",\"amodal_bbox\":[").append(t.amodal()[0])
                        .append(',').append(t.amodal()[1]).append(',').append(t.amodal()[2]).append(',')
                        .append(t.amodal()[3]).append("]}");
                first = false;
            }
        }
        sb.append("]}\n");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static void writeYaml(Path out, Options o, int scenes, boolean[] val) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# camsim synthetic street-camera dataset: scenario ").append(o.scenario().name()).append(", seed ")
                .append(o.seed()).append(", ").append(o.images()).append(" images at ").append(o.size())
                .append(" from ").append(scenes).append(" scenes.\n");
        sb.append("# Paths are relative to this file's folder. COCO annotations: annotations/{train,val}.json\n");
        sb.append("# (category ids are the COCO class numbers in coco_ids).\n");
        sb.append("train: images/train\n");
        sb.append("val: images/val\n");
        sb.append("nc: ").append(CLASSES.size()).append('\n');
        sb.append("names: [").append(String.join(", ", CLASSES.stream().map(ObjectClass::label).toList()))
                .append("]\n");
        sb.append("coco_ids: [").append(String.join(", ", CLASSES.stream().map(c -> String.valueOf(c.cocoId()))
                .toList())).append("]\n");
        sb.append("dataset_id: camsim-").append(o.scenario().name()).append("-seed").append(o.seed()).append('-')
                .append(o.images()).append('-').append(o.size()).append('\n');
        Files.writeString(out.resolve("data.yaml"), sb.toString());
    }
}
