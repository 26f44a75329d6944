package io.strix.camsim.world;

import io.strix.camsim.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One concrete scene of a scenario: the street layout, where the camera hangs and looks, the hour and the weather,
 * all picked by the seed. The camera is defined at a reference size; {@link #camera(int, int)} gives it for any image
 * size with the same field of view.
 */
public final class Scene {
    public final Scenario scenario;
    public final long seed;
    public final Layout layout;
    public final Lighting lighting;
    public final Camera camera;
    /** Street lamp colour: sodium orange or LED white. */
    public final float[] lampColor;
    /** Out-of-focus blur radius in pixels at 640 px width (0 = sharp). */
    public final double blur;
    /**
     * Night vision: many CCTV cameras switch to infrared at night, a grey picture with the dark parts lifted and
     * more noise.
     */
    public final boolean infrared;
    /** Props that remain after clearing the camera's immediate surroundings. */
    public final List<Prop> props;

    public Scene(Scenario scenario, long seed) {
        this.scenario = scenario;
        this.seed = seed;
        Rng rng = new Rng(Rng.hash(seed, scenario.name().hashCode()));
        Layout.Kind kind = scenario.layouts().get(rng.nextInt(scenario.layouts().size()));
        this.layout = new Layout(kind, rng.fork(1));
        Rng look = rng.fork(2);
        double hour = look.uniform(scenario.hourMin(), scenario.hourMax());
        double[] weights = new double[Weather.values().length];
        for (Map.Entry<Weather, Double> e : scenario.weather().entrySet()) {
            weights[e.getKey().ordinal()] = e.getValue();
        }
        Weather weather = Weather.values()[look.weighted(weights)];
        double north = look.uniform(0, 2 * Math.PI);
        this.lighting = new Lighting(hour, weather, north);
        this.lampColor = look.chance(0.5) ? new float[]{1.0f, 0.72f, 0.42f} : new float[]{0.92f, 0.94f, 1.0f};
        this.blur = look.chance(scenario.effects().blur()) ? look.uniform(0.5, 1.4) : 0;
        this.infrared = lighting.darkness > 0.7 && look.chance(0.35);
        this.camera = placeCamera(rng.fork(3));
        List<Prop> kept = new ArrayList<>();
        for (Prop p : layout.props) {
            double d = Fast.hypot(p.x() - camera.x, p.y() - camera.y);
            // Nothing right at the lens: the camera hangs on its own pole or a wall.
            boolean tall = p.kind() == Prop.Kind.TREE || p.kind() == Prop.Kind.SHELTER;
            if (d > (tall ? 7 : 2.0)) {
                kept.add(p);
            }
        }
        this.props = kept;
    }

    public Camera camera(int width, int height) {
        return camera.resized(width, height);
    }

    private Camera placeCamera(Rng rng) {
        Layout l = layout;
        double height = rng.uniform(scenario.cameraHeight()[0], scenario.cameraHeight()[1]);
        double fov = rng.uniform(scenario.fov()[0], scenario.fov()[1]);
        int side = rng.nextInt(2);
        double sign = Layout.sideSign(side);
        // Where the buildings stand at y = 0 on each side (beside a parking lot they may stand at the sidewalk).
        double[] wall = l.facade.clone();
        if (l.lot != null && 0 < l.lot.y0() - 15) {
            wall[1] = l.walkOuter[1];
        }
        boolean gantry = rng.chance(0.15);
        double x;
        if (gantry) {
            x = rng.uniform(-l.roadEdge[0], l.roadEdge[1]) * 0.8;
        } else if (rng.chance(0.2)) {
            x = sign * (wall[side] - 0.3);
        } else {
            x = sign * rng.uniform(l.roadEdge[side] + 0.4, Math.min(wall[side] - 0.3, l.walkInner[side] + 1.5));
        }
        double y = 0;
        Scenario.View view = scenario.view();
        if (view == Scenario.View.ANY) {
            view = rng.chance(0.55) ? Scenario.View.ALONG : Scenario.View.ACROSS;
        }
        double tx;
        double ty;
        if (l.kind == Layout.Kind.PARKING && rng.chance(0.75)) {
            if (x > l.lot.x0() - 1) {
                x = l.roadEdge[1] + 1;
            }
            tx = (l.lot.aisleX0() + l.lot.aisleX1()) / 2 + rng.uniform(-6, 4);
            ty = (l.lot.y0() + l.lot.y1()) / 2 + rng.uniform(-12, 12);
        } else if (l.kind == Layout.Kind.CROSSING && rng.chance(0.8)) {
            tx = rng.uniform(-l.roadEdge[0], l.roadEdge[1]);
            ty = l.yCross + rng.uniform(-8, 4);
        } else if (view == Scenario.View.ALONG) {
            tx = rng.uniform(-l.roadEdge[0], l.roadEdge[1]) * 0.7;
            ty = rng.uniform(22, 55);
        } else {
            int other = gantry ? rng.nextInt(2) : 1 - side;
            tx = Layout.sideSign(other) * rng.uniform(l.roadEdge[other] * 0.3, l.walkOuter[other]);
            ty = rng.uniform(7, 20);
            if (!Double.isNaN(l.yZebra) && rng.chance(0.5)) {
                ty = l.yZebra + rng.uniform(-5, 5);
            }
        }
        double yaw = Math.atan2(tx - x, ty - y);
        double half = Math.toRadians(fov) / 2;
        if (!gantry) {
            // Keep the camera's own building wall out of most of the picture.
            double toWall = wall[side] - Math.abs(x);
            double maxEdge = Math.atan2(toWall, 18);
            double edge = sign * yaw + half;
            if (edge > maxEdge) {
                yaw = sign * (maxEdge - half);
            }
        }
        double distance = Math.max(8, Fast.hypot(tx - x, ty - y));
        double vfov = 2 * Math.atan(Math.tan(half) * 9 / 16);
        double pitch = Math.atan2(height, distance) + vfov * rng.uniform(-0.08, 0.15);
        pitch = Math.max(Math.toRadians(7), Math.min(Math.toRadians(55), pitch));
        double roll = Math.toRadians(rng.normal(0, 0.8, -2.5, 2.5));
        return new Camera(x, y, height, yaw, pitch, roll, fov, 640, 360);
    }

    @Override
    public String toString() {
        return scenario.name() + " seed " + seed + ": " + layout.kind.name().toLowerCase() + ", " + lighting
                + (infrared ? " (infrared)" : "") + ", " + camera;
    }
}
