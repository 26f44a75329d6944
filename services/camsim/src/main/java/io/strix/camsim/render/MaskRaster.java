package io.strix.camsim.render;

import java.util.Arrays;

/**
 * Which object owns each pixel. Objects are rasterised in draw order (far to near), each overwriting the pixels it
 * covers with its slot number, so at the end every pixel names the object actually seen there: the object-id mask
 * that ground truth boxes and visibilities are computed from. While an object is rasterised its whole silhouette is
 * also counted, including pixels outside the image and pixels later covered by nearer things, which gives the
 * denominator of its visibility.
 *
 * <p>Pixels are sampled at their centres (x + 0.5, y + 0.5), the same convention as Java2D.
 */
public final class MaskRaster {
    final int width;
    final int height;
    final int[] ids;
    private int slot;
    private int[] seen = new int[1 << 16];
    private int seenX0;
    private int seenY0;
    private int seenX1;
    private int seenY1;
    private int seenWidth;
    private int stamp;
    private int full;
    private float[] crossings = new float[32];

    public MaskRaster(int width, int height) {
        this.width = width;
        this.height = height;
        this.ids = new int[width * height];
    }

    public int[] ids() {
        return ids;
    }

    public void clear() {
        Arrays.fill(ids, 0);
    }

    /**
     * Starts an object: its slot (0 marks occluders that belong to no object) and the pixel bounds of its whole
     * silhouette [x0, x1) x [y0, y1), which may reach outside the image.
     */
    public void begin(int slot, int x0, int y0, int x1, int y1) {
        this.slot = slot;
        seenX0 = Math.max(x0, -width);
        seenY0 = Math.max(y0, -height);
        seenX1 = Math.min(x1, 2 * width);
        seenY1 = Math.min(y1, 2 * height);
        if (seenX1 <= seenX0 || seenY1 <= seenY0) {
            seenX1 = seenX0;
            seenY1 = seenY0;
        }
        seenWidth = seenX1 - seenX0;
        long area = (long) seenWidth * (seenY1 - seenY0);
        if (area > seen.length) {
            seen = new int[(int) Math.max(area, seen.length * 2L)];
            stamp = 0;
        }
        stamp++;
        full = 0;
    }

    /** Pixels of the silhouette rasterised since {@link #begin}, counted once each. */
    public int end() {
        return full;
    }

    /** Fills a polygon (even-odd rule) given by n points starting at offset off. */
    public void polygon(float[] xs, float[] ys, int off, int n) {
        if (n < 3) {
            return;
        }
        float minY = Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (int i = off; i < off + n; i++) {
            minY = Math.min(minY, ys[i]);
            maxY = Math.max(maxY, ys[i]);
        }
        int yStart = Math.max((int) Math.ceil(minY - 0.5f), seenY0);
        int yEnd = Math.min((int) Math.floor(maxY - 0.5f), seenY1 - 1);
        if (crossings.length < n) {
            crossings = new float[n * 2];
        }
        for (int y = yStart; y <= yEnd; y++) {
            float sy = y + 0.5f;
            int k = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                float yi = ys[off + i];
                float yj = ys[off + j];
                if ((yi <= sy && yj > sy) || (yj <= sy && yi > sy)) {
                    float xi = xs[off + i];
                    float xj = xs[off + j];
                    float x = xi + (sy - yi) * (xj - xi) / (yj - yi);
                    int m = k++;
                    while (m > 0 && crossings[m - 1] > x) {
                        crossings[m] = crossings[m - 1];
                        m--;
                    }
                    crossings[m] = x;
                }
            }
            for (int c = 0; c + 1 < k; c += 2) {
                span(y, (int) Math.ceil(crossings[c] - 0.5f), (int) Math.ceil(crossings[c + 1] - 0.5f));
            }
        }
    }

    public void circle(float cx, float cy, float r) {
        int yStart = Math.max((int) Math.ceil(cy - r - 0.5f), seenY0);
        int yEnd = Math.min((int) Math.floor(cy + r - 0.5f), seenY1 - 1);
        for (int y = yStart; y <= yEnd; y++) {
            float dy = y + 0.5f - cy;
            float h2 = r * r - dy * dy;
            if (h2 <= 0) {
                continue;
            }
            float half = (float) Math.sqrt(h2);
            span(y, (int) Math.ceil(cx - half - 0.5f), (int) Math.ceil(cx + half - 0.5f));
        }
    }

    /** Pixels x in [xa, xb) of row y. */
    private void span(int y, int xa, int xb) {
        xa = Math.max(xa, seenX0);
        xb = Math.min(xb, seenX1);
        if (xa >= xb) {
            return;
        }
        int base = (y - seenY0) * seenWidth - seenX0;
        int[] s = seen;
        int st = stamp;
        for (int x = xa; x < xb; x++) {
            if (s[base + x] != st) {
                s[base + x] = st;
                full++;
            }
        }
        if (y >= 0 && y < height) {
            int fa = Math.max(xa, 0);
            int fb = Math.min(xb, width);
            if (fa < fb) {
                Arrays.fill(ids, y * width + fa, y * width + fb, slot);
            }
        }
    }

    /** Marks the pixels set in an occluder's mask (a sprite at x0, y0) as owned by nobody. */
    public void occlude(boolean[] mask, int x0, int y0, int maskWidth, int maskHeight) {
        for (int my = 0; my < maskHeight; my++) {
            int y = y0 + my;
            if (y < 0 || y >= height) {
                continue;
            }
            int row = my * maskWidth;
            for (int mx = 0; mx < maskWidth; mx++) {
                int x = x0 + mx;
                if (mask[row + mx] && x >= 0 && x < width) {
                    ids[y * width + x] = 0;
                }
            }
        }
    }
}
