package io.strix.detector.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.detector.Fixtures;
import io.strix.detector.TestImages;
import io.strix.wire.Mutator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the detector's JPEG decoding with a seeded corpus made from real JPEGs: each input either decodes to a
 * picture or raises {@link UndecodableImageException} (the frame is then skipped as UNDECODABLE and dead-lettered);
 * never another exception, never a native crash, never a picture the size of what a forged header claims. The seed
 * is printed; {@code -Dstrix.fuzz.seed=N} replays a run.
 */
class JpegDecoderFuzzTest {
    private static final long SEED = Long.getLong("strix.fuzz.seed", 20261127L);
    private static final int INPUTS = Integer.getInteger("strix.fuzz.inputs", 5_000);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a speed test: the run takes seconds
    void mutatedJpegsDecodeOrAreUndecodable() throws Exception {
        System.err.printf("JpegDecoderFuzzTest: seed %d, %d inputs (-Dstrix.fuzz.seed=%d to replay)%n",
                SEED, INPUTS, SEED);
        List<byte[]> seeds = List.of(TestImages.flatJpeg(96, 64, 120), noiseJpeg(160, 120),
                Files.readAllBytes(Fixtures.file("scene.jpg")));
        Mutator mutator = new Mutator(SEED);
        int decoded = 0;
        int undecodable = 0;
        try (JpegDecoder decoder = new JpegDecoder()) {
            for (int i = 0; i < INPUTS; i++) {
                byte[] input = i % 20 == 0 ? mutator.randomBytes(2000)
                        // The large scene less often: it costs most of the decoding time.
                        : mutator.mutate(seeds.get(i % 10 == 1 ? 2 : i % 2), seeds);
                int reduction = 1 << mutator.random().nextInt(4);
                String what = "seed " + SEED + ", input " + i + " (" + mutator.lastMutation() + ", reduction "
                        + reduction + ")";
                try {
                    Mat picture = decoder.decode(ByteBuffer.wrap(input), reduction);
                    assertThat(picture.cols()).as(what).isPositive();
                    assertThat(picture.rows()).as(what).isPositive();
                    assertThat((long) picture.cols() * picture.rows()).as(what)
                            .isLessThanOrEqualTo(JpegDecoder.MAX_PIXELS);
                    decoded++;
                } catch (UndecodableImageException expected) {
                    assertThat(expected.getMessage()).as(what).isNotBlank();
                    undecodable++;
                } catch (Throwable e) {
                    throw new AssertionError(what + ": " + e + " instead of UndecodableImageException; input "
                            + Mutator.hex(input), e);
                }
            }
        }
        System.err.printf("JpegDecoderFuzzTest: %d decoded, %d undecodable%n", decoded, undecodable);
        assertThat(decoded).as("libjpeg decodes many damaged JPEGs, greyed where data is missing").isPositive();
        assertThat(undecodable).isPositive();
    }

    @Test
    void jpegWhoseHeaderClaimsHugeDimensionsIsUndecodableWithoutDecodingIt() throws Exception {
        byte[] small = noiseJpeg(160, 120);
        try (JpegDecoder decoder = new JpegDecoder()) {
            for (int[] size : new int[][] {{65_535, 65_535}, {30_000, 30_000}, {40_000, 2_000}, {2_000, 40_000}}) {
                byte[] forged = withDimensions(small, size[0], size[1]);
                assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(forged), 1))
                        .as("%dx%d", size[0], size[1])
                        .isInstanceOf(UndecodableImageException.class)
                        .hasMessageContaining(size[0] + "x" + size[1]);
            }
            // The decoder is fine afterwards.
            assertThat(decoder.decode(ByteBuffer.wrap(small), 1).cols()).isEqualTo(160);
        }
    }

    @Test
    void headerDimensionsAreReadFromTheFrameHeaderOfEveryKindOfJpeg() throws Exception {
        assertThat(JpegDecoder.declaredSize(ByteBuffer.wrap(noiseJpeg(160, 120)))).containsExactly(160, 120);
        assertThat(JpegDecoder.declaredSize(ByteBuffer.wrap(Files.readAllBytes(Fixtures.file("scene.jpg")))))
                .containsExactly(640, 480);
        assertThat(JpegDecoder.declaredSize(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2}))).isNull();
        assertThat(JpegDecoder.declaredSize(ByteBuffer.wrap(new byte[] {0x42, 0x42}))).isNull();
    }

    /** A JPEG of noise (which compresses badly, so it has long entropy-coded data to damage). */
    private static byte[] noiseJpeg(int width, int height) {
        return TestImages.noiseJpeg(width, height, 7);
    }

    /** The JPEG with the width and height of its start-of-frame header set to these. */
    static byte[] withDimensions(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 8 < out.length; ) {
            if ((out[i] & 0xFF) != 0xFF) {
                throw new IllegalArgumentException("no marker at " + i);
            }
            int marker = out[i + 1] & 0xFF;
            int length = ((out[i + 2] & 0xFF) << 8) | (out[i + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                out[i + 5] = (byte) (height >> 8);
                out[i + 6] = (byte) height;
                out[i + 7] = (byte) (width >> 8);
                out[i + 8] = (byte) width;
                return out;
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("no start-of-frame header");
    }
}
