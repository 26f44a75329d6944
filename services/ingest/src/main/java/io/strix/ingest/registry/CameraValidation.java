package io.strix.ingest.registry;

import io.strix.schema.CameraConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a camera before it enters the registry; every problem names the field it is about. */
public final class CameraValidation {
    public static final Set<String> SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "file",
            "v4l2", "sim");
    public static final float MIN_FPS = 0.1f;
    public static final float MAX_FPS = 60f;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** One thing wrong with a camera. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private CameraValidation() {
    }

    public static List<Problem> check(CameraConfig camera) {
        List<Problem> problems = new ArrayList<>();
        if (camera.getCameraId() == null || !ID.matcher(camera.getCameraId()).matches()) {
            problems.add(new Problem("cameraId", "must be 1-64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit"));
        }
        checkUrl(camera.getUrl()).ifPresent(problems::add);
        if (!(camera.getTargetFps() >= MIN_FPS && camera.getTargetFps() <= MAX_FPS)) {
            problems.add(new Problem("targetFps", "must be between " + MIN_FPS + " and " + MAX_FPS));
        }
        if (camera.getMaxWidth() < 64 || camera.getMaxWidth() > 7680) {
            problems.add(new Problem("maxWidth", "must be between 64 and 7680 pixels"));
        }
        if (camera.getJpegQuality() < 1 || camera.getJpegQuality() > 100) {
            problems.add(new Problem("jpegQuality", "must be between 1 and 100"));
        }
        return problems;
    }

    /** The URL's scheme in lower case; call only on a URL that passed {@link #check}. */
    public static String scheme(String url) {
        return URI.create(url.strip()).getScheme().toLowerCase(Locale.ROOT);
    }

    static java.util.Optional<Problem> checkUrl(String url) {
        if (url == null || url.isBlank()) {
            return java.util.Optional.of(new Problem("url", "is required"));
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return java.util.Optional.of(new Problem("url", "is not a valid URL: " + e.getReason()));
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            return java.util.Optional.of(new Problem("url", "scheme must be one of " + String.join(", ",
                    SCHEMES.stream().sorted().toList()) + (scheme == null ? "" : ", not " + scheme)));
        }
        boolean needsHost = !scheme.equals("file") && !scheme.equals("v4l2") && !scheme.equals("sim");
        if (needsHost && (uri.getHost() == null || uri.getHost().isBlank())) {
            return java.util.Optional.of(new Problem("url", "has no host"));
        }
        if ((scheme.equals("file") || scheme.equals("v4l2")) && (uri.getPath() == null || uri.getPath().isBlank())) {
            return java.util.Optional.of(new Problem("url", "has no path"));
        }
        if (scheme.equals("sim")) {
            try {
                io.strix.camsim.live.SimUrl.parse(url.strip());
            } catch (IllegalArgumentException e) {
                return java.util.Optional.of(new Problem("url", e.getMessage()));
            }
        }
        return java.util.Optional.empty();
    }
}
