package io.strix.camsim.scenario;

/**
 * Camera and picture effects of a scenario.
 *
 * @param noise       sensor noise, multiplying the noise the light level gives (0 = none, 1 = normal)
 * @param blur        probability that a scene's camera is slightly out of focus
 * @param shake       camera shake episodes per minute
 * @param distractors whether things that are not objects (birds, blowing bags, rain streaks, flags) move about
 */
public record Effects(double noise, double blur, double shake, boolean distractors) {
    public static final Effects DEFAULT = new Effects(1.0, 0.25, 0.6, true);
}
