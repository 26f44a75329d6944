package io.strix.camsim.figure;

import io.strix.camsim.world.Rng;

/** A bicycle or a motorcycle: frame or body colour and size. */
public record TwoWheelerLook(boolean motor, int frame, int seat, double scale) {
    public static TwoWheelerLook bicycle(Rng rng) {
        return new TwoWheelerLook(false, Palette.pick(rng, Palette.FRAME), 0x151515, rng.uniform(0.92, 1.05));
    }

    public static TwoWheelerLook motorcycle(Rng rng) {
        return new TwoWheelerLook(true, Palette.vary(rng, Palette.paint(rng), 0.05), 0x141414, rng.uniform(0.95, 1.1));
    }

    public double length() {
        return motor ? 2.1 * scale : 1.75 * scale;
    }

    public double width() {
        return motor ? 0.8 : 0.6;
    }
}
