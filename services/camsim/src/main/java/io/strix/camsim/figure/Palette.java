package io.strix.camsim.figure;

import io.strix.camsim.world.Rng;

/** Colours that people, vehicles and dogs are drawn in, weighted the way a street shows them. */
public final class Palette {
    static final int[] SKIN = {0xF2D0B4, 0xE8B894, 0xD9A27A, 0xC68A5E, 0xA86E48, 0x8A5634, 0x6B4226, 0x4E3020};
    static final int[] HAIR = {0x1A1410, 0x2B1D14, 0x3B2A1C, 0x5A3E28, 0x8A6A3A, 0xC8A868, 0x9A9A98, 0xD8D8D2,
        0x6A2E18};
    static final int[] TOPS = {0x202020, 0x2E2E35, 0x3A4A6A, 0x1F3A5F, 0x6B6B70, 0xA0A0A8, 0xE8E8E4, 0xF4F4F0,
        0x8B1A1A, 0xC0392B, 0x2E7D32, 0x556B2F, 0xD4A017, 0xE67E22, 0x6C3483, 0x1ABC9C, 0x8D6E63, 0xC8B090,
        0xF06292, 0x4FC3F7, 0x37474F};
    static final int[] BOTTOMS = {0x23324F, 0x2A3B5C, 0x3C5078, 0x1C1C1E, 0x2A2A2C, 0x5A5A5E, 0x8B7D5B, 0xA89A7A,
        0x4A3A2A, 0x6E6E72, 0xD8D4CC};
    static final int[] SHOES = {0x151515, 0x222222, 0xEEEEEE, 0x5A3A22, 0x3A3A48};
    static final int[] BAGS = {0x111111, 0x2A2A2A, 0x3A4A6A, 0x8B1A1A, 0x556B2F, 0x7A5A3A, 0xC0A080, 0xE67E22};
    static final int[] PAINT = {0xF4F4F2, 0xE8E8E8, 0xD6D6D4, 0x141416, 0x1E1E22, 0x2A2A2E, 0x8A8C90, 0xA8AAAE,
        0xB8BABE, 0x5C6066, 0x1E3A6E, 0x2B4C8C, 0x8E1B1B, 0xB22222, 0x2F4F3F, 0xC8B890, 0x6B4A2E, 0xE0B000,
        0x3A6EA5, 0x7A1F3D};
    static final double[] PAINT_WEIGHTS = {6, 4, 3, 6, 4, 3, 4, 4, 3, 3, 2, 1.5, 1.5, 1.5, 1, 1, 0.7, 0.5, 1, 0.7};
    static final int[] BUS_PAINT = {0xC62828, 0x1565C0, 0xF5F5F5, 0xF9A825, 0x2E7D32, 0x00838F, 0xE65100};
    static final int[] TRUCK_PAINT = {0xF4F4F2, 0xF4F4F2, 0xE8E8E8, 0x1E3A6E, 0xB22222, 0x2E7D32, 0xE0B000,
        0x6B6B70, 0xE65100};
    static final int[] DOG = {0x1A1410, 0x3B2A1C, 0x6B4A2E, 0x9A6A3A, 0xC8A060, 0xE8D8B8, 0xF4F0E8, 0x7A7A78,
        0xA05A28};
    static final int[] FRAME = {0x111111, 0xC62828, 0x1565C0, 0xEEEEEE, 0x2E7D32, 0xF9A825, 0x6B6B70, 0x00838F};

    private Palette() {
    }

    static int pick(Rng rng, int[] colors) {
        return colors[rng.nextInt(colors.length)];
    }

    static int paint(Rng rng) {
        return PAINT[rng.weighted(PAINT_WEIGHTS)];
    }

    /** The colour scaled by k (darker below 1). */
    public static int shade(int rgb, double k) {
        int r = (int) Math.min(255, ((rgb >> 16) & 255) * k);
        int g = (int) Math.min(255, ((rgb >> 8) & 255) * k);
        int b = (int) Math.min(255, (rgb & 255) * k);
        return (r << 16) | (g << 8) | b;
    }

    /** A colour varied a little in brightness, so no two look identical. */
    static int vary(Rng rng, int rgb, double amount) {
        return shade(rgb, 1 + rng.uniform(-amount, amount));
    }
}
