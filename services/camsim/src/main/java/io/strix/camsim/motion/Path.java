package io.strix.camsim.motion;

import io.strix.camsim.world.Fast;
import java.util.Arrays;

/** A route on the ground: a polyline with arc length, and smooth corners made from sampled curves. */
public final class Path {
    private final double[] xs;
    private final double[] ys;
    private final double[] cum;

    private Path(double[] xs, double[] ys, int n) {
        this.xs = Arrays.copyOf(xs, n);
        this.ys = Arrays.copyOf(ys, n);
        this.cum = new double[n];
        for (int i = 1; i < n; i++) {
            cum[i] = cum[i - 1] + Fast.hypot(this.xs[i] - this.xs[i - 1], this.ys[i] - this.ys[i - 1]);
        }
    }

    public static Builder from(double x, double y) {
        return new Builder(x, y);
    }

    public double length() {
        return cum[cum.length - 1];
    }

    public double startX() {
        return xs[0];
    }

    public double startY() {
        return ys[0];
    }

    public double endX() {
        return xs[xs.length - 1];
    }

    public double endY() {
        return ys[ys.length - 1];
    }

    /** Position at arc length s (clamped to the path). */
    public double x(double s) {
        int i = segment(s);
        double t = t(i, s);
        return xs[i] + (xs[i + 1] - xs[i]) * t;
    }

    public double y(double s) {
        int i = segment(s);
        double t = t(i, s);
        return ys[i] + (ys[i + 1] - ys[i]) * t;
    }

    /** Direction of travel at s (0 = +y, pi/2 = +x), smoothed over a metre either side. */
    public double heading(double s) {
        double a = Math.max(0, s - 1);
        double b = Math.min(length(), s + 1);
        if (b - a < 1e-6) {
            return Math.atan2(xs[xs.length - 1] - xs[0], ys[ys.length - 1] - ys[0]);
        }
        return Math.atan2(x(b) - x(a), y(b) - y(a));
    }

    /** Arc length of the point of the path nearest to (x, y). */
    public double nearest(double x, double y) {
        double best = Double.MAX_VALUE;
        double bestS = 0;
        for (int i = 0; i + 1 < xs.length; i++) {
            double dx = xs[i + 1] - xs[i];
            double dy = ys[i + 1] - ys[i];
            double len2 = dx * dx + dy * dy;
            double t = len2 < 1e-12 ? 0 : Math.max(0, Math.min(1, ((x - xs[i]) * dx + (y - ys[i]) * dy) / len2));
            double px = xs[i] + dx * t;
            double py = ys[i] + dy * t;
            double d = (px - x) * (px - x) + (py - y) * (py - y);
            if (d < best) {
                best = d;
                bestS = cum[i] + t * Math.sqrt(len2);
            }
        }
        return bestS;
    }

    /** Arc length where the path first crosses the horizontal line y = at (within x range), or NaN. */
    public double crossingY(double at, double xMin, double xMax) {
        for (int i = 0; i + 1 < xs.length; i++) {
            double y0 = ys[i];
            double y1 = ys[i + 1];
            if ((y0 - at) * (y1 - at) <= 0 && y0 != y1) {
                double t = (at - y0) / (y1 - y0);
                double x = xs[i] + (xs[i + 1] - xs[i]) * t;
                if (x >= xMin && x <= xMax) {
                    return cum[i] + t * (cum[i + 1] - cum[i]);
                }
            }
        }
        return Double.NaN;
    }

    /** Arc length where the path first crosses the vertical line x = at (within y range), or NaN. */
    public double crossingX(double at, double yMin, double yMax) {
        for (int i = 0; i + 1 < xs.length; i++) {
            double x0 = xs[i];
            double x1 = xs[i + 1];
            if ((x0 - at) * (x1 - at) <= 0 && x0 != x1) {
                double t = (at - x0) / (x1 - x0);
                double y = ys[i] + (ys[i + 1] - ys[i]) * t;
                if (y >= yMin && y <= yMax) {
                    return cum[i] + t * (cum[i + 1] - cum[i]);
                }
            }
        }
        return Double.NaN;
    }

    private int segment(double s) {
        if (s <= 0) {
            return 0;
        }
        int i = Arrays.binarySearch(cum, s);
        if (i < 0) {
            i = -i - 2;
        }
        return Math.max(0, Math.min(cum.length - 2, i));
    }

    private double t(int i, double s) {
        double len = cum[i + 1] - cum[i];
        return len < 1e-12 ? 0 : Math.max(0, Math.min(1, (s - cum[i]) / len));
    }

    /** Builds a path from straight lines and rounded corners. */
    public static final class Builder {
        private double[] xs = new double[16];
        private double[] ys = new double[16];
        private int n;

        private Builder(double x, double y) {
            add(x, y);
        }

        private void add(double x, double y) {
            if (n > 0 && Math.abs(xs[n - 1] - x) < 1e-9 && Math.abs(ys[n - 1] - y) < 1e-9) {
                return;
            }
            if (n == xs.length) {
                xs = Arrays.copyOf(xs, n * 2);
                ys = Arrays.copyOf(ys, n * 2);
            }
            xs[n] = x;
            ys[n] = y;
            n++;
        }

        public Builder to(double x, double y) {
            add(x, y);
            return this;
        }

        /** A smooth turn: a quadratic curve from the current point, bent towards the corner, ending at (x, y). */
        public Builder curve(double cornerX, double cornerY, double x, double y) {
            double x0 = xs[n - 1];
            double y0 = ys[n - 1];
            for (int i = 1; i <= 10; i++) {
                double t = i / 10.0;
                double u = 1 - t;
                add(u * u * x0 + 2 * u * t * cornerX + t * t * x, u * u * y0 + 2 * u * t * cornerY + t * t * y);
            }
            return this;
        }

        public Path build() {
            if (n < 2) {
                add(xs[0], ys[0] + 1e-3);
            }
            return new Path(xs, ys, n);
        }
    }
}
