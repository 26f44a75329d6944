package io.strix.camsim.scenario;

import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.world.Layout;
import io.strix.camsim.world.Weather;
import java.util.List;
import java.util.Map;

/**
 * What kind of world to simulate; a seed then picks one concrete scene from it (street layout, camera, hour, weather)
 * and everything that happens in it.
 *
 * @param layouts  street layouts to choose from
 * @param hourMin  earliest hour of the day (hours past midnight; may exceed 24 to wrap past midnight)
 * @param weather  relative weights of the weathers
 * @param rates    objects of each class entering the simulated street per minute (dogs walk with a person)
 * @param parked   fraction of curb parking places taken by parked cars
 * @param standing people standing about (waiting, chatting) per 100 m of sidewalk
 * @param crossing probability that a pedestrian crosses the street at a crossing
 * @param jaywalk  probability that a pedestrian crosses away from any crossing
 * @param cameraHeight metres above the ground, [min, max]
 * @param fov      horizontal field of view in degrees, [min, max]
 * @param view     what the camera looks at
 */
public record Scenario(String name, List<Layout.Kind> layouts, double hourMin, double hourMax,
                       Map<Weather, Double> weather, Map<ObjectClass, Double> rates, double parked, double standing,
                       double crossing, double jaywalk, double[] cameraHeight, double[] fov, View view,
                       Effects effects) {

    /** What the camera is pointed at. */
    public enum View {
        /** Down the street, at a shallow angle. */
        ALONG,
        /** Across the street at the far sidewalk. */
        ACROSS,
        /** Either, chosen by the seed. */
        ANY
    }

    public double rate(ObjectClass c) {
        return rates.getOrDefault(c, 0.0);
    }
}
