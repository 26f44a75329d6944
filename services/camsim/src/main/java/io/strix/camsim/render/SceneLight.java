package io.strix.camsim.render;

import io.strix.camsim.figure.PropFigure;
import io.strix.camsim.world.FacadePlane;
import io.strix.camsim.world.Layout;
import io.strix.camsim.world.Lighting;
import io.strix.camsim.world.Prop;
import java.util.List;

/** The light at a point of one scene: sun (unless a building shades it), sky, street lamps at night, fog. */
public final class SceneLight {
    public final Lighting lighting;
    private final List<FacadePlane> facades;
    private final double[][] lamps;
    /** The lamps' y, sorted, to find the ones near a point quickly. */
    private final double[] lampY;
    /** Colour of the street lamps at night. */
    public final float[] lampColor;
    private static final double LAMP_POWER = 75;

    public SceneLight(Lighting lighting, Layout layout, float[] lampColor) {
        this.lighting = lighting;
        this.facades = layout.facades;
        this.lamps = lighting.lampsOn ? layout.props.stream().filter(p -> p.kind() == Prop.Kind.LAMP)
                .map(PropFigure::lampHead).toArray(double[][]::new) : new double[0][];
        java.util.Arrays.sort(lamps, (a, b) -> Double.compare(a[1], b[1]));
        this.lampY = new double[lamps.length];
        for (int i = 0; i < lamps.length; i++) {
            lampY[i] = lamps[i][1];
        }
        this.lampColor = lampColor;
    }

    /** 1 where the sun reaches the point, 0 in a building's shadow. */
    public double sunVisible(double x, double y, double z) {
        if (lighting.sunStrength() < 1e-3) {
            return 0;
        }
        for (FacadePlane plane : facades) {
            if (!Double.isNaN(plane.intersect(x, y, z, lighting.sunX, lighting.sunY, lighting.sunZ, 2000))) {
                return 0;
            }
        }
        return 1;
    }

    /** Light of the street lamps falling on a surface at (x, y, z) with normal (nx, ny, nz), added to out. */
    public void lamps(double x, double y, double z, double nx, double ny, double nz, float[] out) {
        if (lamps.length == 0) {
            return;
        }
        double sum = 0;
        int first = java.util.Arrays.binarySearch(lampY, y - 50);
        first = first < 0 ? -first - 1 : first;
        for (int i = first; i < lamps.length && lampY[i] <= y + 50; i++) {
            double[] lamp = lamps[i];
            double dx = lamp[0] - x;
            double dy = lamp[1] - y;
            double dz = lamp[2] - z;
            double d2 = dx * dx + dy * dy + dz * dz;
            if (d2 > 2500) {
                continue;
            }
            double d = Math.sqrt(d2);
            double cos = (dx * nx + dy * ny + dz * nz) / d;
            if (cos > 0 && dz > 0) {
                // Street lamps shine down: a cone that fades out towards the horizontal.
                double down = dz / d;
                sum += LAMP_POWER * cos * down * down / (d2 + 4);
            }
        }
        out[0] += (float) (sum * lampColor[0]);
        out[1] += (float) (sum * lampColor[1]);
        out[2] += (float) (sum * lampColor[2]);
    }

    /** How much fog covers something at this distance, 0..1. */
    public double fog(double distance) {
        return 1 - Math.exp(-distance / lighting.fogDistance);
    }

    /** The light on an object standing at (x, y): sun visibility at chest height, lamps, fog, written to out. */
    public void forObject(double x, double y, double distance, ObjectLight out) {
        out.sunVisible = (float) sunVisible(x, y, 1.2);
        float[] lamp = out.lamp;
        lamp[0] = 0;
        lamp[1] = 0;
        lamp[2] = 0;
        if (lamps.length > 0) {
            // Lamps light objects from above and the side: average an upward and a sideways normal.
            lamps(x, y, 1.0, 0, 0, 1, lamp);
            float[] side = new float[3];
            lamps(x, y, 1.0, 0.7, 0.7, 0, side);
            lamps(x, y, 1.0, -0.7, -0.7, 0, side);
            for (int i = 0; i < 3; i++) {
                lamp[i] = lamp[i] * 0.5f + side[i] * 0.5f;
            }
        }
        out.fog = (float) fog(distance);
    }

    /** Per-object light, filled by {@link #forObject}. */
    public static final class ObjectLight {
        public float sunVisible;
        public final float[] lamp = new float[3];
        public float fog;
        /** Whether lamps of this object (head lights, a street lamp's bulb) are on. */
        public boolean lightsOn;
    }
}
