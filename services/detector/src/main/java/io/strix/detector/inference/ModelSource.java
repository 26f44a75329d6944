package io.strix.detector.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bytes of the ONNX model to run and where they came from: a file the user names, or the shipped model, which the
 * build puts inside the detector's jar (from {@code models/} at the repository root) so the jar runs from anywhere.
 *
 * @param description where the model came from, for logs and errors
 * @param fileName    the model file's name, the fallback model name when its metadata has none
 */
public record ModelSource(String description, String fileName, byte[] bytes) {
    /** The shipped model's file name in {@code models/}. */
    public static final String SHIPPED_FILE = "mobilevit-yolo-xxs-320.onnx";
    /** Where the build puts the shipped model in the jar. */
    public static final String SHIPPED_RESOURCE = "io/strix/detector/model/" + SHIPPED_FILE;

    public static ModelSource file(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ModelException("model file " + path.toAbsolutePath() + " does not exist (--model)");
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

    /** The file given with {@code --model}, else the shipped model; a clear error when there is neither. */
    public static ModelSource resolve(Optional<Path> file) {
        return resolve(file, ModelSource.class.getClassLoader(), SHIPPED_RESOURCE);
    }

    static ModelSource resolve(Optional<Path> file, ClassLoader loader, String resource) {
        if (file.isPresent()) {
            return file(file.get());
        }
        return packaged(loader, resource).orElseThrow(() -> new ModelException("no model: give an ONNX file with "
                + "--model FILE (or STRIX_DETECTOR_MODEL). This build ships no default model: models/"
                + SHIPPED_FILE + " has not been trained yet (see model/README.md); once it exists, the build puts "
                + "it into the jar and it is the default."));
    }
}
