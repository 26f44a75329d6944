package io.strix.detector.inference;

import io.strix.detector.preprocess.InputSize;

/** The square 320 model, for cameras that are not 16:9: a 640x360 frame at 0.5 over 180 of its 320 rows. */
class Shipped320ModelParityTest extends ShippedNamedModelParityTest {
    Shipped320ModelParityTest() {
        super("mobilevit-yolo-xxs-320", new InputSize(320, 320));
    }
}
