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
    private final BufferedImage scaled;
    private long timestampMicros;

    private SimSource(SimCamera camera, int maxWidth) {
        this.camera = camera;
        int width = camera.size().width();
        int height = camera.size().height();
        this.scaled = width <= maxWidth ? null : new BufferedImage(maxWidth & ~1,
                Math.max(2, (int) Math.round((double) height * maxWidth / width) & ~1), BufferedImage.TYPE_3BYTE_BGR);
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
        BufferedImage image = frame.image();
        if (scaled != null) {
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, scaled.getWidth(), scaled.getHeight(), null);
            g.dispose();
            image = scaled;
        }
        return converter.convert(image);
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
