package io.strix.camsim.world;

/** Deterministic value noise and box-filtered stripe patterns for procedural textures. */
public final class Noise {
    private Noise() {
    }

    /** A hash of lattice coordinates to [0, 1). */
    public static double lattice(int x, int y, int seed) {
        int h = x * 374761393 + y * 668265263 + seed * 1442695041;
        h = (h ^ (h >>> 13)) * 1274126177;
        h ^= h >>> 16;
        return (h & 0xFFFFFF) / (double) 0x1000000;
    }

    public static double lattice(int x, int seed) {
        return lattice(x, 0x27d4eb2d, seed);
    }

    /** Smooth value noise in [0, 1) with unit cell size. */
    public static double value(double x, double y, int seed) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        int ix = (int) fx;
        int iy = (int) fy;
        double tx = x - fx;
        double ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double a = lattice(ix, iy, seed);
        double b = lattice(ix + 1, iy, seed);
        double c = lattice(ix, iy + 1, seed);
        double d = lattice(ix + 1, iy + 1, seed);
        return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
    }

    /**
     * Fractal value noise around 0.5, with octaves finer than the footprint left out (they would only alias).
     *
     * @param footprint size of the area one sample stands for, in the same units as x and y
     */
    public static double fbm(double x, double y, int octaves, double footprint, int seed) {
        double sum = 0;
        double amp = 0.5;
        double norm = 0;
        double scale = 1;
        for (int i = 0; i < octaves; i++) {
            double fade = clamp01(1.5 - footprint * scale * 2);
            if (fade <= 0) {
                sum += amp * 0.5;
            } else {
                sum += amp * (fade * value(x * scale, y * scale, seed + i * 101) + (1 - fade) * 0.5);
            }
            norm += amp;
            amp *= 0.5;
            scale *= 2;
        }
        return sum / norm;
    }

    /**
     * Fraction of the window [u - footprint/2, u + footprint/2] covered by stripes of the given width that repeat
     * every period, starting at 0: an exactly box-filtered stripe pattern, so lane dashes, zebra crossings and tile
     * joints do not alias however far away they are.
     */
    public static double stripes(double u, double period, double width, double footprint) {
        if (footprint < 1e-6) {
            double f = u - Math.floor(u / period) * period;
            return f < width ? 1 : 0;
        }
        return (stripeIntegral(u + footprint / 2, period, width) - stripeIntegral(u - footprint / 2, period, width))
                / footprint;
    }

    private static double stripeIntegral(double u, double period, double width) {
        double n = Math.floor(u / period);
        double f = u - n * period;
        return n * width + Math.min(f, width);
    }

    /** Box-filtered indicator of the interval [a, b]. */
    public static double band(double u, double a, double b, double footprint) {
        double half = Math.max(footprint, 1e-6) / 2;
        double lo = Math.max(u - half, a);
        double hi = Math.min(u + half, b);
        return hi <= lo ? 0 : (hi - lo) / (2 * half);
    }

    public static double clamp01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    public static double smoothstep(double a, double b, double v) {
        double t = clamp01((v - a) / (b - a));
        return t * t * (3 - 2 * t);
    }
}
