package io.strix.ingest.source;

import io.strix.camsim.live.SimCamera;
import io.strix.camsim.live.SimFrame;
import io.strix.schema.CameraConfig;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * A camsim camera ({@code sim://SCENARIO?seed=N&fps=F&size=WxH}) rendered in real time: the demo's cameras and the
 * load generator. Its pictures come at the sim's own fps, paced by the wall clock like a live stream.
 */
public final class SimSource implements CameraSource {
    private final SimCamera camera;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    /**
     * The picture as OpenCV takes it: 3-byte BGR, scaled down to the max width. camsim renders TYPE_INT_RGB, which
     * the converter hands on as 4 channels in the int's byte order (X, R, G, B), and OpenCV read those as B, G, R, A:
     * every frame went out with its colours wrong (no blue, red and green swapped) until the 15th session.
     */
    private final BufferedImage bgr;
    private long timestampMicros;

    private SimSource(SimCamera camera, int maxWidth) {
        this.camera = camera;
        int width = camera.size().width();
        int height = camera.size().height();
        this.bgr = width <= maxWidth ? new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR)
                : new BufferedImage(maxWidth & ~1,
                        Math.max(2, (int) Math.round((double) height * maxWidth / width) & ~1),
                        BufferedImage.TYPE_3BYTE_BGR);
    }

    /** A source over a camera made elsewhere (tests that need the camera's ground truth as well). */
    public static SimSource of(SimCamera camera, int maxWidth) {
        return new SimSource(camera, maxWidth);
    }

    public static SimSource open(CameraConfig config) throws SourceException {
        try {
            return new SimSource(SimCamera.open(config.getUrl().strip()), config.getMaxWidth());
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage(), e, SourceException.Kind.UNRECOVERABLE);
        }
    }

    @Override
    public Frame grab(boolean convert) throws SourceException {
        SimFrame frame;
        try {
            frame = camera.awaitNext();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", e, SourceException.Kind.BROKEN);
        }
        timestampMicros = Math.round(frame.sequence() * 1e6 / camera.fps());
        if (!convert) {
            Frame skipped = new Frame();
            skipped.type = Frame.Type.VIDEO;
            skipped.timestamp = timestampMicros;
            return skipped;
        }
        return picture(frame);
    }

    /** One of the camera's frames as this source delivers it: BGR, at most the max width (valid until the next). */
    public Frame picture(SimFrame frame) {
        Graphics2D g = bgr.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(frame.image(), 0, 0, bgr.getWidth(), bgr.getHeight(), null);
        g.dispose();
        return converter.convert(bgr);
    }

    @Override
    public long timestampMicros() {
        return timestampMicros;
    }

    @Override
    public void close() {
        converter.close();
    }
}
