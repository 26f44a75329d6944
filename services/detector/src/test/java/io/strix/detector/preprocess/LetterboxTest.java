package io.strix.detector.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.strix.detector.inference.InferenceEngine;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class LetterboxTest {
    @Test
    void fitsLandscapeFramesCentredVertically() {
        InputSize square = InputSize.square(320);
        assertThat(Letterbox.fit(640, 480, square)).isEqualTo(new Letterbox(square, 0.5, 320, 240, 0, 40));
        assertThat(Letterbox.fit(1280, 720, square)).isEqualTo(new Letterbox(square, 0.25, 320, 180, 0, 70));
    }

    @Test
    void fitsSixteenByNineFramesIntoAWideInputWithLittlePadding() {
        InputSize wide = new InputSize(576, 320);
        // 1280x720 -> ratio min(0.45, 0.444) = 0.444: 569x320 (Python's round(568.9)), 3 px either side.
        Letterbox box = Letterbox.fit(1280, 720, wide);
        assertThat(box).isEqualTo(new Letterbox(wide, 320 / 720.0, 569, 320, 3, 0));
        assertThat(box.toFrameX(3)).isZero();
        assertThat(box.toFrameY(320)).isCloseTo(720, within(1e-9));
        // A 4:3 frame is limited by the height and padded left and right.
        assertThat(Letterbox.fit(640, 480, wide)).isEqualTo(new Letterbox(wide, 2 / 3.0, 427, 320, 74, 0));
    }

    @Test
    void fitsPortraitFramesCentredHorizontally() {
        Letterbox box = Letterbox.fit(480, 640, InputSize.square(320));
        assertThat(box.width()).isEqualTo(240);
        assertThat(box.left()).isEqualTo(40);
        assertThat(box.top()).isZero();
    }

    @Test
    void roundsHalfToEvenLikePython() {
        // 10 x 0.25 = 2.5: Python's round() gives 2, Math.round would give 3 and shift every pixel.
        Letterbox box = Letterbox.fit(10, 20, InputSize.square(5));
        assertThat(box.width()).isEqualTo(2);
        assertThat(box.left()).isEqualTo(1);
    }

    @Test
    void mapsInputPixelsBackToTheFrame() {
        Letterbox box = Letterbox.fit(1280, 720, InputSize.square(320));
        assertThat(box.toFrameX(160)).isEqualTo(640);
        assertThat(box.toFrameY(70)).isZero();
        assertThat(box.toFrameY(250)).isEqualTo(720);
    }

    @Test
    void writesRgbPlanesOverGrayPadding() {
        try (LetterboxWriter writer = new LetterboxWriter(InputSize.square(4));
             Mat bgr = new Mat(2, 4, CV_8UC3, new Scalar(10, 20, 30, 0))) { // blue 10, green 20, red 30
            FloatBuffer input = InferenceEngine.direct(2 * writer.floatsPerImage());
            Letterbox box = writer.write(bgr, input, 1);
            assertThat(box).isEqualTo(new Letterbox(InputSize.square(4), 1.0, 4, 2, 0, 1));
            int base = writer.floatsPerImage();
            int plane = 16;
            assertThat(input.get(base)).isCloseTo(114 / 255f, within(1e-6f));               // row 0: padding
            assertThat(input.get(base + 4)).isCloseTo(30 / 255f, within(1e-6f));            // red plane, row 1
            assertThat(input.get(base + plane + 4)).isCloseTo(20 / 255f, within(1e-6f));    // green
            assertThat(input.get(base + 2 * plane + 4)).isCloseTo(10 / 255f, within(1e-6f)); // blue
            assertThat(input.get(base + 2 * plane + 15)).isCloseTo(114 / 255f, within(1e-6f)); // row 3: padding
            assertThat(input.get(0)).as("slot 0 untouched").isZero();
        }
    }
}
