package io.strix.camsim.figure;

import io.strix.camsim.world.Rng;

/** A dog: size (1 = a labrador), coat colours, ears. */
public record DogLook(double size, int coat, int belly, boolean floppyEars, double tail) {
    public static DogLook random(Rng rng) {
        int coat = Palette.pick(rng, Palette.DOG);
        int belly = rng.chance(0.4) ? Palette.pick(rng, Palette.DOG) : coat;
        return new DogLook(rng.uniform(0.55, 1.25), coat, belly, rng.chance(0.5), rng.uniform(0.6, 1.2));
    }

    public double length() {
        return 0.85 * size;
    }
}
