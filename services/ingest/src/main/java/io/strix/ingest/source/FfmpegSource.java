package io.strix.ingest.source;

import io.strix.common.redact.Redact;
import io.strix.schema.CameraConfig;
import io.strix.schema.RtspTransport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * RTSP(S), RTMP, HTTP(S) (HLS, MJPEG), files and V4L2 devices through FFmpeg (JavaCV's FFmpegFrameGrabber), with
 * low-latency options and I/O timeouts so a dead peer raises an error instead of blocking forever. Files are paced
 * in real time and may loop, so a file behaves like a live camera.
 */
public final class FfmpegSource implements CameraSource {
    static {
        // FFmpeg writes its own log lines straight to stderr; Strix reports errors in status records instead.
        avutil.av_log_set_level(Boolean.getBoolean("strix.ffmpeg.log") ? avutil.AV_LOG_INFO : avutil.AV_LOG_FATAL);
    }

    private final FFmpegFrameGrabber grabber;
    private final boolean file;
    private final boolean loop;
    private final boolean realtime;
    private final String redactedUrl;
    private long loopOffsetMicros;
    private long lastTimestampMicros;
    private long firstTimestampMicros = -1;
    private long startNanos;

    private FfmpegSource(FFmpegFrameGrabber grabber, boolean file, boolean loop, boolean realtime, String redactedUrl) {
        this.grabber = grabber;
        this.file = file;
        this.loop = loop;
        this.realtime = realtime;
        this.redactedUrl = redactedUrl;
    }

    /** Opens FFmpeg-backed sources. */
    public static SourceFactory factory() {
        return FfmpegSource::open;
    }

    public static FfmpegSource open(CameraConfig camera, Duration timeout) throws SourceException {
        String url = camera.getUrl().strip();
        String redacted = Redact.url(url);
        URI uri = URI.create(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String input = url;
        boolean file = false;
        FFmpegFrameGrabber grabber;
        long timeoutMicros = timeout.toNanos() / 1000;
        switch (scheme) {
            case "file" -> {
                Path path = Path.of(uri.getPath());
                if (!Files.isReadable(path)) {
                    throw new SourceException("File " + path + " does not exist or cannot be read", null,
                            SourceException.Kind.BROKEN);
                }
                input = path.toString();
                file = true;
            }
            case "v4l2" -> input = uri.getPath();
            case "rtsp", "rtsps", "rtmp", "rtmps", "http", "https" -> { }
            default -> throw new SourceException("Unsupported scheme '" + scheme + "' in " + redacted, null,
                    SourceException.Kind.UNRECOVERABLE);
        }
        grabber = new FFmpegFrameGrabber(input);
        if (scheme.equals("v4l2")) {
            grabber.setFormat("video4linux2");
        }
        if (scheme.startsWith("rtsp")) {
            grabber.setOption("rtsp_transport",
                    camera.getRtspTransport() == RtspTransport.UDP ? "udp" : "tcp");
            grabber.setOption("timeout", Long.toString(timeoutMicros)); // socket I/O timeout of the RTSP demuxer
        } else if (!file) {
            grabber.setOption("rw_timeout", Long.toString(timeoutMicros));
        }
        if (!file) {
            // Live: no input buffering, decode as soon as data arrives.
            grabber.setOption("fflags", "nobuffer");
            grabber.setOption("flags", "low_delay");
            grabber.setOption("analyzeduration", "2000000");
        }
        camera.getOptions().forEach((k, v) -> {
            if (!k.equals("loop") && !k.equals("realtime")) {
                grabber.setOption(k, v);
            }
        });
        // The grabber's own interrupt callback: a blocking call gives up after this long.
        grabber.setTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(grabber);
            throw new SourceException("Cannot open " + redacted + ": " + reason(e), e, SourceException.Kind.BROKEN);
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            // The session is up but not one picture came to tell the video's size: a frozen camera.
            release(grabber);
            throw new SourceException("connected to " + redacted + " but no picture arrived within "
                    + timeout.toSeconds() + " s", null, SourceException.Kind.STALLED);
        }
        // Let FFmpeg's scaler do the resize in the same pass as the pixel format conversion.
        int width = grabber.getImageWidth();
        int height = grabber.getImageHeight();
        if (width > camera.getMaxWidth()) {
            int scaledHeight = (int) Math.round((double) height * camera.getMaxWidth() / width);
            grabber.setImageWidth(camera.getMaxWidth() & ~1);
            grabber.setImageHeight(Math.max(2, scaledHeight & ~1));
        }
        boolean loop = Boolean.parseBoolean(camera.getOptions().getOrDefault("loop", "true"));
        boolean realtime = Boolean.parseBoolean(camera.getOptions().getOrDefault("realtime", "true"));
        return new FfmpegSource(grabber, file, file && loop, file && realtime, redacted);
    }

    @Override
    public Frame grab(boolean convert) throws SourceException {
        try {
            Frame frame = grabPicture(convert);
            if (frame == null && loop) {
                loopOffsetMicros = lastTimestampMicros + frameIntervalMicros();
                grabber.setTimestamp(0);
                frame = grabPicture(convert);
            }
            if (frame == null) {
                return null;
            }
            lastTimestampMicros = loopOffsetMicros + Math.max(0, grabber.getTimestamp());
            if (realtime) {
                pace();
            }
            return frame;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException("Read from " + redactedUrl + " failed: " + reason(e), e,
                    SourceException.Kind.BROKEN);
        }
    }

    private Frame grabPicture(boolean convert) throws FrameGrabber.Exception {
        // Video only; without processing FFmpeg still decodes but skips the pixel conversion and scaling.
        Frame frame;
        do {
            frame = grabber.grabFrame(false, true, convert, false, false);
        } while (frame != null && frame.type != Frame.Type.VIDEO);
        if (frame != null && !convert) {
            frame.image = null;
        }
        return frame;
    }

    @Override
    public long timestampMicros() {
        return lastTimestampMicros;
    }

    /** Sleeps until the picture's time has come on the wall clock, as a live camera would deliver it. */
    private void pace() {
        if (firstTimestampMicros < 0) {
            firstTimestampMicros = lastTimestampMicros;
            startNanos = System.nanoTime();
            return;
        }
        long dueNanos = startNanos + (lastTimestampMicros - firstTimestampMicros) * 1000;
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long frameIntervalMicros() {
        double fps = grabber.getFrameRate();
        return fps > 0 ? (long) (1_000_000 / fps) : 40_000;
    }

    /** FFmpeg's own words for the error ("Connection refused"), without JavaCV's hints and without credentials. */
    static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        java.util.regex.Matcher code = ERROR_CODE.matcher(message);
        if (code.find()) {
            byte[] text = new byte[256];
            if (avutil.av_strerror(Integer.parseInt(code.group(1)), text, text.length) == 0) {
                int end = 0;
                while (end < text.length && text[end] != 0) {
                    end++;
                }
                return new String(text, 0, end, java.nio.charset.StandardCharsets.UTF_8) + " (FFmpeg error "
                        + code.group(1) + ")";
            }
        }
        return Redact.url(message.replaceAll(" \\((Has setFormat|For more details)[^)]*\\)", ""));
    }

    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("error (-\\d+)");

    @Override
    public void close() {
        release(grabber);
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // Closing a broken stream may fail again; the native resources are released either way.
        }
    }
}
