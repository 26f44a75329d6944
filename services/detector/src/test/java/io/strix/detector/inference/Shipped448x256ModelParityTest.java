package io.strix.detector.inference;

import io.strix.detector.preprocess.InputSize;

/** The 16:9 448x256 model: a 640x360 frame at 0.7, about 1.3 times the default's CPU. */
class Shipped448x256ModelParityTest extends ShippedNamedModelParityTest {
    Shipped448x256ModelParityTest() {
        super("mobilevit-yolo-xxs-448x256", new InputSize(448, 256));
    }
}
