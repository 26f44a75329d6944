package io.strix.camsim.world;

/** How one building's street front looks: wall, windows, shop fronts. Lengths in metres, colours 0xRRGGBB. */
public record FacadeStyle(int wall, int trim, int glass, int frame, double floorHeight, double groundFloorHeight,
                          double windowPeriod, double windowWidth, double windowHeight, double windowOffset,
                          boolean shops, double shopBay, int sign, double litFraction, int seed) {

    private static final int[] WALLS = {0xA0522D, 0x9C4A35, 0xB5651D, 0xC8B89A, 0xD8CDB8, 0xE8E0D0, 0xB0A898,
        0x8C8C88, 0xA8A8A0, 0xC9B28F, 0xD0A080, 0x7E6B5A, 0xBFC6C8, 0xE3D3A8, 0x9EA7A0, 0x6F7D86, 0xC3896B};
    private static final int[] TRIMS = {0xEEEEE8, 0x303030, 0x5A4A3A, 0xD0D0C8, 0x707070};
    private static final int[] SIGNS = {0x1F4E9C, 0xB22222, 0x2E7D32, 0xF2C12E, 0x222222, 0xE0E0E0, 0x7B1FA2,
        0xEF6C00, 0x00838F};

    public static FacadeStyle random(Rng rng, boolean shopsLikely) {
        int wall = jitter(rng, WALLS[rng.nextInt(WALLS.length)], 0.08);
        int trim = TRIMS[rng.nextInt(TRIMS.length)];
        int glass = rng.chance(0.3) ? 0x3A4A5A : (rng.chance(0.5) ? 0x2B3440 : 0x4A5A66);
        double floor = rng.uniform(2.9, 3.6);
        boolean shops = rng.chance(shopsLikely ? 0.75 : 0.3);
        double ground = shops ? rng.uniform(3.6, 4.8) : floor;
        double period = rng.uniform(2.2, 3.8);
        double width = Math.min(period - 0.5, rng.uniform(0.9, 1.9));
        double height = Math.min(floor - 0.9, rng.uniform(1.2, 2.0));
        return new FacadeStyle(wall, trim, glass, rng.chance(0.6) ? 0xE8E8E2 : 0x2A2A2A, floor, ground, period, width,
                height, rng.uniform(0, period), shops, rng.uniform(3.5, 7.5), SIGNS[rng.nextInt(SIGNS.length)],
                rng.uniform(0.15, 0.55), rng.nextInt(1 << 20));
    }

    static int jitter(Rng rng, int rgb, double amount) {
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        double s = 1 + rng.uniform(-amount, amount);
        return (clamp(r * s) << 16) | (clamp(g * s) << 8) | clamp(b * s);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, v));
    }
}
