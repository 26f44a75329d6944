package io.strix.camsim.render;

import io.strix.camsim.world.Noise;
import io.strix.camsim.world.Rng;
import io.strix.camsim.world.Scene;

/**
 * What the camera itself adds: white balance, contrast and saturation of its colour processing, vignetting, focus
 * blur, sensor noise (stronger in the dark, when the camera turns up its gain) and now and then a few seconds of
 * shake (wind, a passing truck). All of it derived from the scene seed and the frame, so it repeats exactly.
 */
final class CameraEffects {
    private final int width;
    private final int height;
    private final long seed;
    private final int[] gain;
    private final int rGain;
    private final int gGain;
    private final int bGain;
    private final int contrast;
    private final int saturation;
    private final int blurPasses;
    private final double shakeRate;
    private final double shakeScale;
    private final int[] lastShake = new int[2];
    private final int[] rLut = new int[256];
    private final int[] gLut = new int[256];
    private final int[] bLut = new int[256];
    /** Standard normal noise times 16, shared by all scenes; at least twice the frame plus a margin. */
    private final byte[] plate;
    /** Noise standard deviation in 8-bit levels, times 16. */
    private final int strength;
    private static byte[] unitPlate = new byte[0];

    private static synchronized byte[] plate(int size) {
        if (unitPlate.length < size) {
            byte[] p = new byte[Math.max(size, 640 * 360 * 2 + 4096)];
            Rng rng = new Rng(0x9A7EL);
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) Math.max(-127, Math.min(127, Math.round(rng.gaussian() * 16)));
            }
            unitPlate = p;
        }
        return unitPlate;
    }
    private int[] tmp;

    CameraEffects(Scene scene, int width, int height) {
        this.width = width;
        this.height = height;
        this.seed = scene.seed;
        Rng rng = new Rng(Rng.hash(scene.seed, 0xEFFL));
        double noise = scene.lighting.sensorNoise * scene.scenario.effects().noise() * rng.uniform(0.6, 1.3)
                * (scene.infrared ? 1.4 : 1);
        double vignette = rng.uniform(0.05, 0.35);
        this.gain = new int[width * height];
        double cx = width / 2.0;
        double cy = height / 2.0;
        double norm = cx * cx + cy * cy;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double r2 = ((x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy)) / norm;
                gain[y * width + x] = (int) Math.round(256 * (1 - vignette * r2 * r2 * 0.9 - vignette * r2 * 0.3));
            }
        }
        double warm = rng.normal(0, 0.03, -0.07, 0.07);
        this.rGain = (int) Math.round(256 * (1 + warm + rng.uniform(-0.02, 0.02)));
        this.gGain = (int) Math.round(256 * (1 + rng.uniform(-0.02, 0.02)));
        this.bGain = (int) Math.round(256 * (1 - warm + rng.uniform(-0.02, 0.02)));
        this.contrast = (int) Math.round(256 * rng.uniform(0.9, 1.15));
        this.saturation = scene.infrared ? 0 : (int) Math.round(256 * rng.uniform(0.75, 1.1));
        double blur = scene.blur * width / 640.0;
        this.blurPasses = blur <= 0 ? 0 : (int) Math.max(1, Math.round(blur));
        this.shakeRate = scene.scenario.effects().shake();
        double lift = rng.uniform(0.5, 0.65);
        for (int v = 0; v < 256; v++) {
            if (scene.infrared) {
                // Infrared: grey, the gain turned up so the dark street shows, a faint tint of the sensor.
                int grey = clamp8((int) Math.round(255 * Math.pow(v / 255.0, lift)));
                rLut[v] = grey;
                gLut[v] = grey;
                bLut[v] = clamp8(grey + 3);
                continue;
            }
            rLut[v] = clamp8((((v * rGain >> 8) - 128) * contrast >> 8) + 128);
            gLut[v] = clamp8((((v * gGain >> 8) - 128) * contrast >> 8) + 128);
            bLut[v] = clamp8((((v * bGain >> 8) - 128) * contrast >> 8) + 128);
        }
        this.plate = plate(width * height * 2 + 4096);
        this.strength = (int) Math.round(noise * 16);
        this.shakeScale = width / 640.0;
    }

    /** Camera shake offset (pixels) at time t: a few seconds of jitter in some 6-second windows. */
    int[] shake(double t) {
        lastShake[0] = 0;
        lastShake[1] = 0;
        if (shakeRate <= 0) {
            return lastShake;
        }
        long window = (long) Math.floor(t / 6.0);
        Rng rng = new Rng(Rng.hash(seed, window, 0x5AAEL));
        if (!rng.chance(shakeRate * 6 / 60)) {
            return lastShake;
        }
        double amplitude = rng.uniform(1.0, 4.0) * shakeScale;
        double local = t - window * 6.0;
        double envelope = Math.sin(Math.PI * Noise.clamp01(local / 6.0));
        int s = (int) window;
        lastShake[0] = (int) Math.round(amplitude * envelope * 2 * FrameRenderer.noise(t * 9, s));
        lastShake[1] = (int) Math.round(amplitude * envelope * 2 * FrameRenderer.noise(t * 9 + 40, s + 1));
        return lastShake;
    }

    int[] lastShake() {
        return lastShake;
    }

    /** The camera's colour processing and vignetting of one colour seen at pixel (x, y). */
    int grade(int rgb, float x, float y) {
        int px = Math.max(0, Math.min(width - 1, (int) x));
        int py = Math.max(0, Math.min(height - 1, (int) y));
        return grade(rgb, gain[py * width + px]);
    }

    private int grade(int p, int k) {
        int r = (p >> 16) & 255;
        int g = (p >> 8) & 255;
        int b = p & 255;
        int lum = (r * 77 + g * 150 + b * 29) >> 8;
        int sat = saturation;
        r = rLut[clamp8(lum + (((r - lum) * sat) >> 8))] * k >> 8;
        g = gLut[clamp8(lum + (((g - lum) * sat) >> 8))] * k >> 8;
        b = bLut[clamp8(lum + (((b - lum) * sat) >> 8))] * k >> 8;
        return (clamp8(r) << 16) | (clamp8(g) << 8) | clamp8(b);
    }

    /** Colour processing and vignetting of a whole picture (the static background, once). */
    void grade(int[] px) {
        for (int i = 0; i < px.length; i++) {
            px[i] = grade(px[i], gain[i]);
        }
    }

    /**
     * Per-frame effects, in place: focus blur and sensor noise (colours were already graded as they were drawn).
     */
    void apply(int[] px, long frame, double t) {
        for (int i = 0; i < blurPasses; i++) {
            blur(px);
        }
        // A different window into the noise plate every frame: fresh noise, read sequentially.
        Rng rng = new Rng(Rng.hash(seed, frame, 0x40153L));
        // The window depends only on the frame size, never on how large the shared plate has grown.
        int span = width * height * 2 + 4096 - px.length;
        int lumaOffset = rng.nextInt(span);
        int chromaOffset = rng.nextInt(span);
        byte[] noise = plate;
        int k = strength;
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int n = noise[lumaOffset + i] * k >> 8;
            int c = noise[chromaOffset + i] * k >> 10;
            int r = ((p >> 16) & 255) + n + c;
            int g = ((p >> 8) & 255) + n;
            int b = (p & 255) + n - c;
            px[i] = (clamp8(r) << 16) | (clamp8(g) << 8) | clamp8(b);
        }
    }

    private static int clamp8(int v) {
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }

    /** A [1 2 1] / 4 blur across and down. */
    private void blur(int[] px) {
        if (tmp == null) {
            tmp = new int[px.length];
        }
        int w = width;
        for (int y = 0; y < height; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int a = px[row + Math.max(0, x - 1)];
                int b = px[row + x];
                int c = px[row + Math.min(w - 1, x + 1)];
                tmp[row + x] = mix(a, b, c);
            }
        }
        for (int y = 0; y < height; y++) {
            int up = Math.max(0, y - 1) * w;
            int row = y * w;
            int down = Math.min(height - 1, y + 1) * w;
            for (int x = 0; x < w; x++) {
                px[row + x] = mix(tmp[up + x], tmp[row + x], tmp[down + x]);
            }
        }
    }

    private static int mix(int a, int b, int c) {
        int r = (((a >> 16) & 255) + 2 * ((b >> 16) & 255) + ((c >> 16) & 255) + 2) >> 2;
        int g = (((a >> 8) & 255) + 2 * ((b >> 8) & 255) + ((c >> 8) & 255) + 2) >> 2;
        int bl = ((a & 255) + 2 * (b & 255) + (c & 255) + 2) >> 2;
        return (r << 16) | (g << 8) | bl;
    }
}
