package io.strix.detector.inference;

import io.strix.detector.preprocess.InputSize;

/** The 16:9 448x256 model: about the square 320 model's cost, a 640x360 frame at 0.7 instead of 0.5. */
class ShippedCompactWideModelParityTest extends ShippedNamedModelParityTest {
    ShippedCompactWideModelParityTest() {
        super("mobilevit-yolo-xxs-448x256", new InputSize(448, 256));
    }
}
