package io.strix.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.detector.DetectorMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSourceTest {
    @Test
    void saysWhatToDoWhenNoModelIsGivenAndNoneIsShipped() {
        assertThatThrownBy(() -> ModelSource.resolve(Optional.empty(), getClass().getClassLoader(),
                "io/strix/detector/model/not-there.onnx"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("--model FILE")
                .hasMessageContaining("models/mobilevit-yolo-xxs-384x256.onnx");
    }

    @Test
    void prefersTheGivenFile(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("mine.onnx"), new byte[] {1, 2, 3});
        ModelSource source = ModelSource.resolve(Optional.of(file), getClass().getClassLoader(),
                ModelSource.SHIPPED_RESOURCE);
        assertThat(source.fileName()).isEqualTo("mine.onnx");
        assertThat(source.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void everyNameTheHelpOffersIsAModelTheBuildPackaged() {
        // SHIPPED_NAMES (help and errors) and the pom's resource includes must list the same models.
        for (String name : ModelSource.SHIPPED_NAMES) {
            ModelSource source = ModelSource.resolve(Optional.of(Path.of(name)));
            assertThat(source.description()).as(name).contains("inside the jar");
            assertThat(source.fileName()).isEqualTo(name + ".onnx");
        }
    }

    @Test
    void theHelpAndTheModelCardNameEveryShippedModel() throws Exception {
        // Five models of one set of weights: a new one must reach the --model help and a row of the card's table.
        String card = Files.readString(Path.of("../../models/README.md"));
        for (String name : ModelSource.SHIPPED_NAMES) {
            assertThat(DetectorMain.MODEL.doc()).as("--model help").contains(name + " (");
            assertThat(card).as("models/README.md").containsPattern("\\| \\**" + name + "[ *]");
        }
        assertThat(DetectorMain.MODEL.doc()).contains(
                ModelSource.SHIPPED_FILE.replace(".onnx", "") + " (the default");
    }

    @Test
    void namesAMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelSource.file(dir.resolve("nope.onnx")))
                .hasMessageContaining("nope.onnx does not exist");
    }

    @Test
    void findsAModelPackagedOnTheClassPath() throws Exception {
        // What the build does with models/mobilevit-yolo-xxs-384x256.onnx: a class path resource, whatever the cwd.
        Path root = Files.createTempDirectory("classpath");
        Path resource = root.resolve("io/strix/detector/model/packaged.onnx");
        Files.createDirectories(resource.getParent());
        Files.write(resource, new byte[] {7});
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {root.toUri().toURL()}, null)) {
            ModelSource source = ModelSource.resolve(Optional.empty(), loader, "io/strix/detector/model/packaged.onnx");
            assertThat(source.fileName()).isEqualTo("packaged.onnx");
            assertThat(source.description()).contains("inside the jar");
            // --model NAME (with or without .onnx) picks a packaged model when no such file exists.
            for (String name : new String[] {"packaged", "packaged.onnx"}) {
                ModelSource named = ModelSource.resolve(Optional.of(Path.of(name)), loader,
                        "io/strix/detector/model/default.onnx");
                assertThat(named.fileName()).isEqualTo("packaged.onnx");
                assertThat(named.bytes()).containsExactly(7);
            }
            assertThatThrownBy(() -> ModelSource.resolve(Optional.of(Path.of("unknown")), loader,
                    "io/strix/detector/model/default.onnx"))
                    .hasMessageContaining("unknown does not exist")
                    .hasMessageContaining("mobilevit-yolo-xxs-576x320");
        }
    }
}
