package io.strix.detector.inference;

import io.strix.detector.preprocess.InputSize;

/** The most accurate shipped model: 16:9 576x320, about twice the default's CPU. */
class Shipped576x320ModelParityTest extends ShippedNamedModelParityTest {
    Shipped576x320ModelParityTest() {
        super("mobilevit-yolo-xxs-576x320", new InputSize(576, 320));
    }
}
