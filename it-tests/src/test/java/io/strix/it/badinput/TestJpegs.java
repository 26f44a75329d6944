package io.strix.it.badinput;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** JPEGs made here, and forged from them: a header that lies about the size, a file cut before its picture. */
final class TestJpegs {
    private TestJpegs() {
    }

    /** A plain street-like picture. */
    static byte[] street(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(90, 110, 130));
        g.fillRect(0, 0, width, height / 2);
        g.setColor(new Color(70, 70, 75));
        g.fillRect(0, height / 2, width, height / 2);
        g.setColor(new Color(150, 120, 90));
        g.fillRect(width / 10, height / 8, width / 4, height / 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The JPEG with its start-of-frame header claiming {@code width x height} pixels. */
    static byte[] claimingSize(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        int at = segment(out, true);
        out[at + 5] = (byte) (height >> 8);
        out[at + 6] = (byte) height;
        out[at + 7] = (byte) (width >> 8);
        out[at + 8] = (byte) width;
        return out;
    }

    /** Every header of the JPEG, but not its picture: cut where the scan starts. */
    static byte[] cutBeforeScan(byte[] jpeg) {
        return Arrays.copyOf(jpeg, segment(jpeg, false));
    }

    /** Where the start-of-frame header (or the start of scan) begins. */
    private static int segment(byte[] jpeg, boolean startOfFrame) {
        for (int at = 2; at + 4 < jpeg.length; ) {
            int marker = jpeg[at + 1] & 0xFF;
            if (startOfFrame ? marker == 0xC0 || marker == 0xC2 : marker == 0xDA) {
                return at;
            }
            at += 2 + (((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF));
        }
        throw new IllegalArgumentException("no such segment in the JPEG");
    }
}
