package io.strix.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;

class JpegEncoderTest {
    @Test
    void encodesAPictureThatDecodesToTheSameSizeAndColours() throws Exception {
        BufferedImage image = new BufferedImage(320, 180, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 160, 180);
        g.setColor(Color.BLUE);
        g.fillRect(160, 0, 160, 180);
        g.dispose();
        try (Java2DFrameConverter converter = new Java2DFrameConverter(); JpegEncoder encoder = new JpegEncoder(90)) {
            Frame frame = converter.convert(image);
            byte[] jpeg = encoder.encode(frame);
            byte[] again = encoder.encode(frame);

            assertThat(jpeg[0]).isEqualTo((byte) 0xFF);
            assertThat(jpeg[1]).isEqualTo((byte) 0xD8);
            assertThat(again).isEqualTo(jpeg);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(decoded.getWidth()).isEqualTo(320);
            assertThat(decoded.getHeight()).isEqualTo(180);
            Color left = new Color(decoded.getRGB(40, 90));
            Color right = new Color(decoded.getRGB(280, 90));
            assertThat(left.getRed()).isGreaterThan(200);
            assertThat(left.getBlue()).isLessThan(60);
            assertThat(right.getBlue()).isGreaterThan(200);
            assertThat(right.getRed()).isLessThan(60);
        }
    }
}
