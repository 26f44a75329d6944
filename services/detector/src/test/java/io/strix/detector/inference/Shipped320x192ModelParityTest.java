package io.strix.detector.inference;

import io.strix.detector.preprocess.InputSize;

/**
 * The cheapest shipped model: 16:9 320x192, a 640x360 frame at 0.5 as the square 320 model sees it, for about 0.6 of
 * its CPU.
 */
class Shipped320x192ModelParityTest extends ShippedNamedModelParityTest {
    Shipped320x192ModelParityTest() {
        super("mobilevit-yolo-xxs-320x192", new InputSize(320, 192));
    }
}
