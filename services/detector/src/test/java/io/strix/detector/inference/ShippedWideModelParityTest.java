package io.strix.detector.inference;

import io.strix.detector.preprocess.InputSize;

/** The most accurate shipped model: 16:9 576x320, about twice the CPU of the square 320 one. */
class ShippedWideModelParityTest extends ShippedNamedModelParityTest {
    ShippedWideModelParityTest() {
        super("mobilevit-yolo-xxs-576x320", new InputSize(576, 320));
    }
}
