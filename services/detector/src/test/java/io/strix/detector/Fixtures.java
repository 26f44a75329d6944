package io.strix.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test models and images that {@code src/test/python/make_fixtures.py} generates (Maven runs it before the
 * tests): see that script for what each is.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("strix.detector.fixtures", "target/fixtures"));
        assertThat(dir.resolve("fixtures.stamp")).as("generated test models; run "
                + "/usr/bin/python3 src/test/python/make_fixtures.py --out target/fixtures").exists();
        return dir;
    }

    public static Path file(String name) {
        Path file = dir().resolve(name);
        assertThat(Files.isRegularFile(file)).as("%s exists", file).isTrue();
        return file;
    }

    /** MobileViT-YOLO-XXS at 320 exported by model/export.py, with its parity fixture beside it. */
    public static Path xxs() {
        return file("xxs-320.onnx");
    }

    /** 64x64 input, YOLOv8 layout: see TinyModels. */
    public static Path tinyV8() {
        return file("tiny-v8.onnx");
    }

    /** 64x64 input, YOLOv5 layout: see TinyModels. */
    public static Path tinyV5() {
        return file("tiny-v5.onnx");
    }
}
