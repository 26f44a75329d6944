package io.strix.ingest.source;

import java.util.Locale;

/** Picks the source for a camera's URL: camsim for sim://, FFmpeg for everything else. */
public final class Sources {
    private Sources() {
    }

    public static SourceFactory factory() {
        return (camera, timeout) -> camera.getUrl().strip().toLowerCase(Locale.ROOT).startsWith("sim:")
                ? SimSource.open(camera)
                : FfmpegSource.open(camera, timeout);
    }
}
