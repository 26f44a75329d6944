package io.strix.detector.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of the ONNX model to run and where they came from: a file the user names, or one of the shipped models,
 * which the build puts inside the detector's jar (from {@code models/} at the repository root) so the jar runs from
 * anywhere, a container image included.
 *
 * @param description where the model came from, for logs and errors
 * @param fileName    the model file's name, the fallback model name when its metadata has none
 */
public record ModelSource(String description, String fileName, byte[] bytes) {
    /** The default shipped model's file name in {@code models/}. */
    public static final String SHIPPED_FILE = "mobilevit-yolo-xxs-384x256.onnx";
    /**
     * The shipped models, by the name {@code --model} takes instead of a file (the build packages each): one set of
     * weights at several input sizes, cheapest first.
     */
    public static final List<String> SHIPPED_NAMES = List.of("mobilevit-yolo-xxs-320x192", "mobilevit-yolo-xxs-320",
            "mobilevit-yolo-xxs-384x256", "mobilevit-yolo-xxs-448x256", "mobilevit-yolo-xxs-576x320");
    /** Where the build puts the shipped models in the jar. */
    static final String SHIPPED_DIR = "io/strix/detector/model/";
    /** Where the build puts the default shipped model in the jar. */
    public static final String SHIPPED_RESOURCE = SHIPPED_DIR + SHIPPED_FILE;

    public static ModelSource file(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ModelException("model file " + path.toAbsolutePath() + " does not exist (--model takes a file "
                    + "or the name of a shipped model: " + String.join(", ", SHIPPED_NAMES) + ")");
        }
        try {
            return new ModelSource(path.toAbsolutePath().toString(), path.getFileName().toString(),
                    Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ModelException("cannot read model file " + path.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    /** The model packaged at {@code resource} on the class path, if the build shipped one. */
    public static Optional<ModelSource> packaged(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            return Optional.of(new ModelSource("the shipped model " + name + " (inside the jar)", name,
                    in.readAllBytes()));
        } catch (IOException e) {
            throw new ModelException("cannot read the shipped model " + resource + ": " + e.getMessage());
        }
    }

    /**
     * The file given with {@code --model}, or the shipped model it names when no such file exists (a bare name such as
     * {@code mobilevit-yolo-xxs-576x320}, with or without {@code .onnx}); without {@code --model}, the default shipped
     * model. A clear error when there is neither.
     */
    public static ModelSource resolve(Optional<Path> file) {
        return resolve(file, ModelSource.class.getClassLoader(), SHIPPED_RESOURCE);
    }

    static ModelSource resolve(Optional<Path> file, ClassLoader loader, String resource) {
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.exists(path) && path.getParent() == null) {
                String name = path.toString().endsWith(".onnx") ? path.toString() : path + ".onnx";
                Optional<ModelSource> shipped = packaged(loader, SHIPPED_DIR + name);
                if (shipped.isPresent()) {
                    return shipped.get();
                }
            }
            return file(path);
        }
        return packaged(loader, resource).orElseThrow(() -> new ModelException("no model: give an ONNX file with "
                + "--model FILE (or STRIX_DETECTOR_MODEL). This build ships no default model: models/"
                + SHIPPED_FILE + " has not been trained yet (see model/README.md); once it exists, the build puts "
                + "it into the jar and it is the default."));
    }
}
