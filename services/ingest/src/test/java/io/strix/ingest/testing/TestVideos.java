package io.strix.ingest.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Video files written by FFmpeg for tests: a square moving across a black picture. */
public final class TestVideos {
    private TestVideos() {
    }

    public static Path write(Path file, int width, int height, int frames, int fps) throws Exception {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setFormat("mp4");
            recorder.setFrameRate(fps);
            recorder.setVideoBitrate(2_000_000);
            recorder.start();
            int side = Math.max(8, height / 6);
            for (int i = 0; i < frames; i++) {
                BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
                Graphics2D g = image.createGraphics();
                g.setColor(Color.GREEN);
                g.fillRect(i * (width - side) / Math.max(1, frames - 1), height / 2 - side / 2, side, side);
                g.dispose();
                recorder.record(converter.convert(image));
            }
        }
        return file;
    }
}
