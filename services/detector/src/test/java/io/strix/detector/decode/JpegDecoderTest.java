package io.strix.detector.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.detector.Fixtures;
import io.strix.detector.TestImages;
import io.strix.detector.preprocess.InputSize;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class JpegDecoderTest {
    @Test
    void decodesToBgrAtTheFrameSize() throws Exception {
        try (JpegDecoder decoder = new JpegDecoder()) {
            Mat picture = decoder.decode(ByteBuffer.wrap(Files.readAllBytes(Fixtures.file("scene.jpg"))));
            assertThat(picture.cols()).isEqualTo(640);
            assertThat(picture.rows()).isEqualTo(480);
            assertThat(picture.channels()).isEqualTo(3);
        }
    }

    @Test
    void growsItsBufferForLargerFramesAndReadsFromTheBufferPosition() throws Exception {
        byte[] large = TestImages.flatJpeg(1920, 1080, 200);
        byte[] padded = new byte[large.length + 10];
        System.arraycopy(large, 0, padded, 10, large.length);
        try (JpegDecoder decoder = new JpegDecoder()) {
            decoder.decode(ByteBuffer.wrap(TestImages.flatJpeg(64, 48, 10)));
            Mat picture = decoder.decode(ByteBuffer.wrap(padded, 10, large.length));
            assertThat(picture.cols()).isEqualTo(1920);
        }
    }

    @Test
    void choosesTheLargestReductionThatStillCoversTheLetterbox() {
        InputSize square = InputSize.square(320);
        assertThat(JpegDecoder.reductionFor(1280, 720, square)).isEqualTo(4);  // 320x180: exactly the letterbox
        assertThat(JpegDecoder.reductionFor(1920, 1080, square)).isEqualTo(4); // 480x270, shrunk to 320x180
        assertThat(JpegDecoder.reductionFor(640, 480, square)).isEqualTo(2);
        assertThat(JpegDecoder.reductionFor(4000, 3000, square)).isEqualTo(8);
        assertThat(JpegDecoder.reductionFor(320, 240, square)).isEqualTo(1);
        assertThat(JpegDecoder.reductionFor(200, 100, square)).isEqualTo(1);  // enlarged anyway
        assertThat(JpegDecoder.reductionFor(0, 0, square)).isEqualTo(1);      // size unknown
        // A 16:9 input fills with 569x320 of a 1280x720 frame: 1/2 (640x360) still covers it, 1/4 would not.
        assertThat(JpegDecoder.reductionFor(1280, 720, new InputSize(576, 320))).isEqualTo(2);
    }

    @Test
    void decodesScaledInTheDctDomain() throws Exception {
        try (JpegDecoder decoder = new JpegDecoder()) {
            Mat picture = decoder.decode(ByteBuffer.wrap(TestImages.flatJpeg(1918, 1080, 77)), 4);
            assertThat(picture.cols()).isEqualTo(480); // sides rounded up: 1918 / 4 = 479.5
            assertThat(picture.rows()).isEqualTo(270);
        }
    }

    @Test
    void rejectsBytesThatAreNoImage() {
        byte[] garbage = new byte[5000];
        Arrays.fill(garbage, (byte) 0x5A);
        try (JpegDecoder decoder = new JpegDecoder()) {
            assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(garbage)))
                    .isInstanceOf(UndecodableImageException.class).hasMessageContaining("5000 bytes starting 5A5A5A5A");
            assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(0))).hasMessageContaining("no JPEG bytes");
            byte[] header = Arrays.copyOf(TestImages.flatJpeg(64, 48, 10), 20); // SOI and a cut-off header
            assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(header)))
                    .isInstanceOf(UndecodableImageException.class);
        }
    }

    @Test
    void doesNotReturnThePreviousPictureForBytesNoCodecKnows() throws Exception {
        byte[] garbage = new byte[3000];
        Arrays.fill(garbage, (byte) 0x42);
        try (JpegDecoder decoder = new JpegDecoder()) {
            decoder.decode(ByteBuffer.wrap(TestImages.flatJpeg(64, 48, 10)));
            assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(garbage)))
                    .isInstanceOf(UndecodableImageException.class);
        }
    }
}
