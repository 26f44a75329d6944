package io.strix.camsim.live;

import io.strix.camsim.render.RenderedFrame;
import io.strix.camsim.truth.FrameTruth;
import java.awt.image.BufferedImage;
import java.time.Instant;

/**
 * One frame of a {@link SimCamera}: its sequence number (from 0), capture time, the seconds of simulated time since
 * the first frame, the picture and its ground truth. The picture is the camera's own buffer, valid until its next
 * frame: copy it ({@link RenderedFrame#copyImage()}) or convert it ({@link #bgr()}) to keep it.
 */
public record SimFrame(long sequence, Instant captureTime, double simTime, RenderedFrame rendered) {
    public BufferedImage image() {
        return rendered.image();
    }

    /** The picture as BGR24 bytes (a new array). */
    public byte[] bgr() {
        return rendered.bgr();
    }

    public FrameTruth truth() {
        return rendered.truth();
    }
}
