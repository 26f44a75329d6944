package io.strix.camsim.world;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of buildings facing a street: a vertical plane (x = coord when it runs along y, else y = coord) cut into
 * buildings of their own width, height and style. The buildings are boxes behind the plane, so rays and sun rays that
 * meet the plane below a building's height are stopped there.
 */
public final class FacadePlane {
    public final boolean alongY;
    public final double coord;
    /** Sign of the axis direction that points from the facade towards the street. */
    public final double facing;
    private final double[] starts;
    private final double[] ends;
    private final double[] heights;
    private final FacadeStyle[] styles;

    private FacadePlane(boolean alongY, double coord, double facing, List<double[]> spans, List<FacadeStyle> styles) {
        this.alongY = alongY;
        this.coord = coord;
        this.facing = facing;
        int n = spans.size();
        this.starts = new double[n];
        this.ends = new double[n];
        this.heights = new double[n];
        this.styles = styles.toArray(new FacadeStyle[0]);
        for (int i = 0; i < n; i++) {
            starts[i] = spans.get(i)[0];
            ends[i] = spans.get(i)[1];
            heights[i] = spans.get(i)[2];
        }
    }

    /**
     * Buildings from {@code from} to {@code to} along the plane, leaving out the given gaps (pairs of start, end).
     */
    public static FacadePlane build(Rng rng, boolean alongY, double coord, double facing, double from, double to,
                                    double[] gaps, double minFloors, double maxFloors, boolean shopsLikely) {
        List<double[]> spans = new ArrayList<>();
        List<FacadeStyle> styles = new ArrayList<>();
        double s = from;
        while (s < to) {
            double e = Math.min(to, s + rng.uniform(7, 26));
            List<double[]> pieces = new ArrayList<>();
            pieces.add(new double[]{s, e});
            for (int g = 0; g + 1 < gaps.length; g += 2) {
                List<double[]> cut = new ArrayList<>();
                for (double[] piece : pieces) {
                    if (piece[1] <= gaps[g] || piece[0] >= gaps[g + 1]) {
                        cut.add(piece);
                    } else {
                        cut.add(new double[]{piece[0], gaps[g]});
                        cut.add(new double[]{gaps[g + 1], piece[1]});
                    }
                }
                pieces = cut;
            }
            for (double[] piece : pieces) {
                if (piece[1] - piece[0] > 2.5) {
                    addBuilding(rng, spans, styles, piece[0], piece[1], minFloors, maxFloors, shopsLikely);
                }
            }
            s = e;
        }
        return new FacadePlane(alongY, coord, facing, spans, styles);
    }

    private static void addBuilding(Rng rng, List<double[]> spans, List<FacadeStyle> styles, double a, double b,
                                    double minFloors, double maxFloors, boolean shopsLikely) {
        FacadeStyle style = FacadeStyle.random(rng, shopsLikely);
        int floors = (int) Math.round(rng.uniform(minFloors, maxFloors));
        double height = style.groundFloorHeight() + Math.max(0, floors - 1) * style.floorHeight() + rng.uniform(0.3, 1.2);
        spans.add(new double[]{a, b, height});
        styles.add(style);
    }

    /** Index of the building at position s along the plane, or -1. */
    public int buildingAt(double s) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (s < starts[mid]) {
                hi = mid - 1;
            } else if (s >= ends[mid]) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    public int size() {
        return starts.length;
    }

    public double start(int i) {
        return starts[i];
    }

    public double end(int i) {
        return ends[i];
    }

    public double height(int i) {
        return heights[i];
    }

    public FacadeStyle style(int i) {
        return styles[i];
    }

    /** How deep the buildings behind the plane are; rays that pass over a roof may land on it. */
    public static final double DEPTH = 60;

    /**
     * Where a ray that passes over a building of this plane lands on its flat roof: the parameter, or NaN.
     */
    public double roof(double px, double py, double pz, double dx, double dy, double dz, double maxT) {
        double p = alongY ? px : py;
        double d = alongY ? dx : dy;
        if (dz >= 0 || d * facing >= 0) {
            return Double.NaN;
        }
        double t = (coord - p) / d;
        if (t <= 1e-6 || t >= maxT) {
            return Double.NaN;
        }
        double s = alongY ? py + t * dy : px + t * dx;
        int i = buildingAt(s);
        if (i < 0 || pz + t * dz <= heights[i]) {
            return Double.NaN;
        }
        double tr = (heights[i] - pz) / dz;
        if (tr >= maxT || Math.abs(p + tr * d - coord) > DEPTH) {
            return Double.NaN;
        }
        double sr = alongY ? py + tr * dy : px + tr * dx;
        if (sr < starts[i] - 0.5 || sr > ends[i] + 0.5) {
            return Double.NaN;
        }
        return tr;
    }

    /**
     * Whether the segment from (px, py, pz) along direction (dx, dy, dz), for parameter in (0, maxT), meets a
     * building of this plane from the street side; returns the parameter or NaN.
     */
    public double intersect(double px, double py, double pz, double dx, double dy, double dz, double maxT) {
        double p = alongY ? px : py;
        double d = alongY ? dx : dy;
        if (d * facing >= 0) {
            return Double.NaN;
        }
        double t = (coord - p) / d;
        if (t <= 1e-6 || t >= maxT) {
            return Double.NaN;
        }
        double z = pz + t * dz;
        if (z < 0) {
            return Double.NaN;
        }
        double s = alongY ? py + t * dy : px + t * dx;
        int i = buildingAt(s);
        if (i < 0 || z > heights[i]) {
            return Double.NaN;
        }
        return t;
    }
}
