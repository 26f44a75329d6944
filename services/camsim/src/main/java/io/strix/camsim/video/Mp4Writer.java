package io.strix.camsim.video;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes BGR frames to an H.264 MP4 through JavaCV's FFmpeg, with the OpenH264 encoder that bytedeco's FFmpeg build
 * carries (it has no libx264). Constant frame rate; the file is finished on {@link #close()}.
 */
public final class Mp4Writer implements AutoCloseable {
    /** The H.264 encoder in bytedeco's FFmpeg build. */
    public static final String ENCODER = "libopenh264";

    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private long frames;

    public Mp4Writer(Path file, int width, int height, double fps) throws FrameRecorder.Exception {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("H.264 needs an even width and height, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        recorder.setVideoCodecName(ENCODER);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize(Math.max(1, (int) Math.round(fps * 2)));
        // About 0.12 bits a pixel: street-camera quality, with some compression artefacts like the real thing.
        recorder.setVideoBitrate((int) Math.min(50_000_000, Math.max(200_000, width * (long) height * fps * 0.12)));
        recorder.setVideoOption("allow_skip_frames", "0");
        recorder.start();
    }

    /** Appends one frame of BGR bytes (width x height x 3). */
    public void write(byte[] bgr) throws FrameRecorder.Exception {
        recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 3, width * 3, avutil.AV_PIX_FMT_BGR24,
                ByteBuffer.wrap(bgr));
        frames++;
    }

    public long frames() {
        return frames;
    }

    @Override
    public void close() throws FrameRecorder.Exception {
        try {
            recorder.stop();
        } finally {
            recorder.release();
        }
    }
}
