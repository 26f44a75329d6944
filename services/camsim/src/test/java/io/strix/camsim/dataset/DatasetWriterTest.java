package io.strix.camsim.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strix.camsim.render.FrameSize;
import io.strix.camsim.scenario.Scenarios;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetWriterTest {
    @TempDir
    static Path dir;
    static DatasetWriter.Summary summary;

    @BeforeAll
    static void writeDataset() throws Exception {
        summary = DatasetWriter.write(new DatasetWriter.Options(dir, 30, 5, new FrameSize(320, 180), 0.25,
                Scenarios.builtin("mixed"), 2, 3), done -> { });
    }

    @Test
    void writesImagesAndLabelsForTrainAndVal() throws Exception {
        assertThat(summary.trainImages() + summary.valImages()).isEqualTo(30);
        assertThat(summary.valScenes()).isEqualTo(3);
        assertThat(summary.valImages()).isEqualTo(9);
        for (String split : List.of("train", "val")) {
            List<Path> images = list(dir.resolve("images").resolve(split));
            assertThat(images).hasSize(split.equals("train") ? 21 : 9);
            for (Path image : images) {
                String base = image.getFileName().toString().replace(".jpg", "");
                assertThat(dir.resolve("labels").resolve(split).resolve(base + ".txt")).exists();
                BufferedImage img = ImageIO.read(image.toFile());
                assertThat(img.getWidth()).isEqualTo(320);
                assertThat(img.getHeight()).isEqualTo(180);
            }
        }
    }

    @Test
    void yoloLabelsAreClassIndexAndNormalisedCentreAndSize() throws Exception {
        long lines = 0;
        for (String split : List.of("train", "val")) {
            for (Path label : list(dir.resolve("labels").resolve(split))) {
                for (String line : Files.readAllLines(label)) {
                    String[] f = line.split(" ");
                    assertThat(f).hasSize(5);
                    assertThat(Integer.parseInt(f[0])).isBetween(0, 6);
                    double cx = Double.parseDouble(f[1]);
                    double cy = Double.parseDouble(f[2]);
                    double w = Double.parseDouble(f[3]);
                    double h = Double.parseDouble(f[4]);
                    assertThat(w).isGreaterThan(0).isLessThanOrEqualTo(1);
                    assertThat(h).isGreaterThan(0).isLessThanOrEqualTo(1);
                    assertThat(cx - w / 2).isGreaterThanOrEqualTo(-1e-6);
                    assertThat(cx + w / 2).isLessThanOrEqualTo(1 + 1e-6);
                    assertThat(cy - h / 2).isGreaterThanOrEqualTo(-1e-6);
                    assertThat(cy + h / 2).isLessThanOrEqualTo(1 + 1e-6);
                    lines++;
                }
            }
        }
        assertThat(lines).isGreaterThan(30);
        assertThat(java.util.Arrays.stream(summary.labels()).sum()).isEqualTo(lines);
    }

    @Test
    void dataYamlNamesTheClassesAndTheSplits() throws Exception {
        String yaml = Files.readString(dir.resolve("data.yaml"));
        assertThat(yaml).contains("train: images/train").contains("val: images/val").contains("nc: 7")
                .contains("names: [person, bicycle, car, motorcycle, bus, truck, dog]")
                .contains("coco_ids: [0, 1, 2, 3, 5, 7, 16]");
        Object parsed = new org.yaml.snakeyaml.Yaml().load(yaml);
        assertThat(parsed).isInstanceOf(java.util.Map.class);
    }

    @Test
    void cocoAnnotationsAreValidAndMatchTheYoloLabels() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String split : List.of("train", "val")) {
            JsonNode coco = json.readTree(dir.resolve("annotations").resolve(split + ".json").toFile());
            Set<Integer> categories = new HashSet<>();
            coco.get("categories").forEach(c -> categories.add(c.get("id").asInt()));
            assertThat(categories).containsExactlyInAnyOrder(0, 1, 2, 3, 5, 7, 16);
            Set<Integer> images = new HashSet<>();
            for (JsonNode image : coco.get("images")) {
                images.add(image.get("id").asInt());
                assertThat(dir.resolve("images").resolve(split).resolve(image.get("file_name").asText())).exists();
                assertThat(image.get("width").asInt()).isEqualTo(320);
            }
            int labelled = 0;
            for (JsonNode a : coco.get("annotations")) {
                assertThat(images).contains(a.get("image_id").asInt());
                assertThat(categories).contains(a.get("category_id").asInt());
                JsonNode bbox = a.get("bbox");
                assertThat(bbox.get(0).asInt()).isGreaterThanOrEqualTo(0);
                assertThat(bbox.get(0).asInt() + bbox.get(2).asInt()).isLessThanOrEqualTo(320);
                assertThat(bbox.get(1).asInt() + bbox.get(3).asInt()).isLessThanOrEqualTo(180);
                assertThat(a.get("visibility").asDouble()).isBetween(0.0, 1.0);
                labelled += a.get("iscrowd").asInt() == 0 ? 1 : 0;
            }
            long yoloLines = 0;
            for (Path label : list(dir.resolve("labels").resolve(split))) {
                yoloLines += Files.readAllLines(label).size();
            }
            assertThat(labelled).isEqualTo((int) yoloLines);
        }
    }

    @Test
    void trainAndValNeverShareAScene() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<Long> train = new HashSet<>();
        json.readTree(dir.resolve("annotations/train.json").toFile()).get("images")
                .forEach(i -> train.add(i.get("scene_seed").asLong()));
        Set<Long> val = new HashSet<>();
        json.readTree(dir.resolve("annotations/val.json").toFile()).get("images")
                .forEach(i -> val.add(i.get("scene_seed").asLong()));
        assertThat(train).hasSize(7);
        assertThat(val).hasSize(3).doesNotContainAnyElementsOf(train);
    }

    @Test
    void theSameOptionsGiveTheSameFilesWhateverTheThreadCount(@TempDir Path other) throws Exception {
        Path one = other.resolve("one");
        Path three = other.resolve("three");
        DatasetWriter.write(new DatasetWriter.Options(one, 8, 11, new FrameSize(160, 90), 0.25,
                Scenarios.builtin("street"), 1, 2), done -> { });
        DatasetWriter.write(new DatasetWriter.Options(three, 8, 11, new FrameSize(160, 90), 0.25,
                Scenarios.builtin("street"), 3, 2), done -> { });
        List<Path> files;
        try (Stream<Path> s = Files.walk(one)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSize(8 * 2 + 3);
        for (Path f : files) {
            assertThat(Files.readAllBytes(three.resolve(one.relativize(f)))).as(f.toString())
                    .isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void valScenesAreSpreadEvenlyAndNeverAll() {
        assertThat(DatasetWriter.valScenes(10, 0.1)).containsOnlyOnce(true);
        assertThat(DatasetWriter.valScenes(1, 0.5)).containsOnly(false);
        assertThat(DatasetWriter.valScenes(2, 0.9)).containsOnlyOnce(true);
        assertThat(DatasetWriter.valScenes(20, 0)).containsOnly(false);
    }

    private static List<Path> list(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
