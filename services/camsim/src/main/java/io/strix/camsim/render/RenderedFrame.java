package io.strix.camsim.render;

import io.strix.camsim.truth.FrameTruth;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * One rendered frame: the picture (TYPE_INT_RGB), the object-id mask (a mask slot per pixel, 0 = no object), the
 * object id of each slot ({@code slotIds[slot]}) and the ground truth. The image and mask belong to the renderer and
 * are overwritten by its next frame; copy what you keep.
 */
public record RenderedFrame(BufferedImage image, int[] mask, int[] slotIds, FrameTruth truth) {

    /** The object id seen at pixel (x, y), or 0 where no object is seen. */
    public int objectAt(int x, int y) {
        return slotIds[mask[y * image.getWidth() + x]];
    }

    /** The picture as packed 0xRRGGBB pixels, row by row (the renderer's own array: do not keep it). */
    public int[] rgb() {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    /** The picture as BGR bytes, row by row, 3 bytes a pixel (OpenCV's and FFmpeg's BGR24 layout). */
    public byte[] bgr() {
        return bgr(new byte[image.getWidth() * image.getHeight() * 3]);
    }

    /** Writes the BGR bytes into the given array (width x height x 3) and returns it. */
    public byte[] bgr(byte[] out) {
        int[] rgb = rgb();
        for (int i = 0, j = 0; i < rgb.length; i++, j += 3) {
            int p = rgb[i];
            out[j] = (byte) p;
            out[j + 1] = (byte) (p >> 8);
            out[j + 2] = (byte) (p >> 16);
        }
        return out;
    }

    /** A copy of the picture that stays valid after the next frame. */
    public BufferedImage copyImage() {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) copy.getRaster().getDataBuffer()).getData();
        System.arraycopy(rgb(), 0, dst, 0, dst.length);
        return copy;
    }
}
