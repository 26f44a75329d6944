package io.strix.camsim.world;

import java.util.List;

/**
 * The only source of randomness in camsim: SplitMix64, seeded explicitly, so a scenario and seed always give the same
 * world. {@link #fork} derives independent streams, so drawing more numbers in one part of the world (say, the look
 * of a car) never shifts what another part (the layout) draws.
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = mix(seed ^ 0x5DEECE66DL);
    }

    /** A stream that depends only on this stream's current state and the salt; this stream does not advance. */
    public Rng fork(long salt) {
        return new Rng(mix(state + mix(salt)));
    }

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A well-mixed hash of several numbers, for seeds derived from indices. */
    public static long hash(long... parts) {
        long h = 0x9e3779b97f4a7c15L;
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x632be59bd9b4e019L));
        }
        return h;
    }

    public long nextLong() {
        state += 0x9e3779b97f4a7c15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    public double uniform(double min, double max) {
        return min + (max - min) * nextDouble();
    }

    /** Uniform in [0, n). */
    public int nextInt(int n) {
        return (int) ((nextLong() >>> 33) % n);
    }

    /** Uniform in [min, max], both included. */
    public int between(int min, int max) {
        return min + nextInt(max - min + 1);
    }

    public boolean chance(double p) {
        return nextDouble() < p;
    }

    /** Standard normal (Box-Muller, one value per call). */
    public double gaussian() {
        double u = Math.max(nextDouble(), 1e-12);
        double v = nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Normal with the given mean and deviation, cut to [min, max]. */
    public double normal(double mean, double sd, double min, double max) {
        return Math.max(min, Math.min(max, mean + sd * gaussian()));
    }

    public <T> T pick(List<T> items) {
        return items.get(nextInt(items.size()));
    }

    public int pick(int[] items) {
        return items[nextInt(items.length)];
    }

    /** An index drawn with the given (not necessarily normalised) weights. */
    public int weighted(double... weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
