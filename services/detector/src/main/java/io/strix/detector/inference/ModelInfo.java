package io.strix.detector.inference;

import io.strix.detector.postprocess.OutputLayout;
import io.strix.detector.preprocess.InputSize;
import java.util.List;

/**
 * What the detector knows about its model: the name and version every record carries, the class names, the input
 * tensor and how to read the output.
 *
 * @param input      W × H of the [B, 3, H, W] input
 * @param locations  candidate locations N per image
 */
public record ModelInfo(String name, String version, List<String> classNames, String inputName, InputSize input,
                        OutputLayout layout, int locations) {
    public ModelInfo {
        classNames = List.copyOf(classNames);
    }

    public int classes() {
        return classNames.size();
    }

    /** Floats of one image's output. */
    public int outputFloatsPerImage() {
        return locations * (layout.boxColumns() + classes());
    }

    public String className(int classId) {
        return classId >= 0 && classId < classNames.size() ? classNames.get(classId) : "class" + classId;
    }
}
