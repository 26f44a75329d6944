package io.strix.camsim.figure;

import io.strix.camsim.world.Rng;

/**
 * How one person looks: size, skin, hair, clothes and what they carry. Colours are 0xRRGGBB; 0 means "none" for the
 * optional things.
 */
public record PersonLook(double height, double build, int skin, int hair, Hair hairStyle, int top,
                         boolean longSleeves, boolean coat, int bottom, Legwear legwear, int shoes, int backpack,
                         int bag, int umbrella, int headwear) {

    /** Hair or headwear. */
    public enum Hair { SHORT, LONG, BALD, CAP, HELMET }

    /** What covers the legs. */
    public enum Legwear { TROUSERS, SHORTS, SKIRT }

    public static PersonLook random(Rng rng, boolean raining, boolean child) {
        double height = child ? rng.uniform(1.0, 1.4) : rng.normal(1.71, 0.09, 1.5, 1.98);
        double build = rng.normal(1.0, 0.09, 0.82, 1.3);
        int skin = Palette.vary(rng, Palette.pick(rng, Palette.SKIN), 0.05);
        int hair = Palette.pick(rng, Palette.HAIR);
        Hair style = switch (rng.weighted(5, 3, 0.6, 1.2)) {
            case 0 -> Hair.SHORT;
            case 1 -> Hair.LONG;
            case 2 -> Hair.BALD;
            default -> Hair.CAP;
        };
        boolean cold = rng.chance(0.5);
        int top = Palette.vary(rng, Palette.pick(rng, Palette.TOPS), 0.08);
        Legwear legwear = rng.chance(0.12) ? Legwear.SKIRT : (!cold && rng.chance(0.2) ? Legwear.SHORTS
                : Legwear.TROUSERS);
        int bottom = Palette.vary(rng, Palette.pick(rng, Palette.BOTTOMS), 0.08);
        int shoes = Palette.pick(rng, Palette.SHOES);
        int backpack = rng.chance(child ? 0.5 : 0.22) ? Palette.pick(rng, Palette.BAGS) : 0;
        int bag = backpack == 0 && rng.chance(0.2) ? Palette.pick(rng, Palette.BAGS) : 0;
        int umbrella = raining && rng.chance(0.6) ? Palette.pick(rng, Palette.BAGS) : 0;
        int headwear = style == Hair.CAP ? Palette.pick(rng, Palette.TOPS) : 0;
        return new PersonLook(height, build, skin, hair, style, top, cold || rng.chance(0.3),
                cold && rng.chance(0.35), bottom, legwear, shoes, backpack, bag, umbrella, headwear);
    }

    /** The same person with a crash helmet (motorcyclists, many cyclists). */
    public PersonLook withHelmet(int color) {
        return new PersonLook(height, build, skin, hair, Hair.HELMET, top, true, false, bottom, Legwear.TROUSERS,
                shoes, backpack, 0, 0, color);
    }
}
