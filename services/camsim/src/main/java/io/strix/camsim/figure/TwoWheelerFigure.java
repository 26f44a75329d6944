package io.strix.camsim.figure;

/**
 * Bicycles (spoked wheels as thin rings, diamond frame, saddle, bars, cranks) and motorcycles (solid wheels, engine,
 * tank, seat, forks, bars, headlight); riders are separate people posed by {@link #riderSeat} and friends.
 */
public final class TwoWheelerFigure {
    private static final double BIKE_WHEEL = 0.34;

    private TwoWheelerFigure() {
    }

    /**
     * Adds the machine; phase turns the cranks. The caller adds the rider, seated at {@link #seat}.
     */
    public static void build(Mesh m, TwoWheelerLook look, double x, double y, double heading, double phase,
                             boolean braking, double camX, double camY, double camZ) {
        Xform f = Xform.at(x, y, 0, heading);
        if (look.motor()) {
            motorcycle(m, f, look, braking);
        } else {
            bicycle(m, f, look, phase);
        }
        m.layer(0);
    }

    private static void bicycle(Mesh m, Xform f, TwoWheelerLook look, double phase) {
        double k = look.scale();
        double r = BIKE_WHEEL;
        double rearY = -0.52 * k;
        double frontY = 0.53 * k;
        m.layer(0);
        ring(m, f, rearY, r, 0.045, 0x151515);
        ring(m, f, frontY, r, 0.045, 0x151515);
        int c = look.frame();
        double by = -0.05 * k;
        double bz = 0.30;
        double sy = -0.2 * k;
        double sz = 0.82 * k;
        double hy = 0.38 * k;
        double htz = 0.86 * k;
        double hby = 0.43 * k;
        double hbz = 0.68 * k;
        double w = 0.04;
        m.layer(1);
        m.tube(f, 0, by, bz, 0, sy, sz, w, c, 0);
        m.tube(f, 0, by, bz, 0, hby, hbz, w * 1.2, c, 0);
        m.tube(f, 0, sy + 0.01, sz - 0.05, 0, hy, htz - 0.03, w, c, 0);
        m.tube(f, 0, by, bz, 0, rearY, r, w * 0.8, c, 0);
        m.tube(f, 0, sy, sz - 0.04, 0, rearY, r, w * 0.8, c, 0);
        m.tube(f, 0, hby, hbz, 0, frontY, r, w, c, 0);
        m.tube(f, 0, hy, htz, 0, hby, hbz, w * 1.3, c, 0);
        // Stem, handlebar, saddle, cranks.
        m.tube(f, 0, hy, htz, 0, hy - 0.02, htz + 0.12, 0.035, 0x222222, 0);
        m.tube(f, -0.23, hy - 0.04, htz + 0.12, 0.23, hy - 0.04, htz + 0.12, 0.035, 0x222222, 0);
        m.box(f, 0, sy - 0.04, sz + 0.05, 0.13, 0.27, 0.06, look.seat(), 0);
        m.tube(f, 0, sy, sz, 0, sy - 0.02, sz + 0.05, 0.03, 0x333333, 0);
        for (int s = -1; s <= 1; s += 2) {
            double a = phase + (s < 0 ? 0 : Math.PI);
            double py = by + 0.17 * Math.cos(a);
            double pz = bz + 0.17 * Math.sin(a);
            m.tube(f, s * 0.07, by, bz, s * 0.08, py, pz, 0.03, 0x555555, 0);
            m.box(f, s * 0.12, py, pz, 0.1, 0.08, 0.025, 0x202020, 0);
        }
    }

    private static void ring(Mesh m, Xform f, double cy, double r, double width, int color) {
        int n = 16;
        for (int i = 0; i < n; i++) {
            double a0 = 2 * Math.PI * i / n;
            double a1 = 2 * Math.PI * (i + 1) / n;
            m.tube(f, 0, cy + r * Math.cos(a0), r + r * Math.sin(a0), 0, cy + r * Math.cos(a1), r + r * Math.sin(a1),
                    width, color, 0);
        }
        m.tube(f, 0, cy - r * 0.95, r, 0, cy + r * 0.95, r, 0.012, 0x777777, 0);
        m.tube(f, 0, cy, r * 0.05, 0, cy, r * 1.95, 0.012, 0x777777, 0);
    }

    private static void motorcycle(Mesh m, Xform f, TwoWheelerLook look, boolean braking) {
        double k = look.scale();
        double r = 0.31;
        double rearY = -0.7 * k;
        double frontY = 0.72 * k;
        int paint = look.frame();
        m.layer(0);
        m.wheel(f, 0, rearY, r, r, 0.15, 12, 0x151515, 0x666666, 0);
        m.wheel(f, 0, frontY, r, r, 0.12, 12, 0x151515, 0x666666, 0);
        m.layer(1);
        m.box(f, 0, -0.02 * k, 0.47, 0.3, 0.6 * k, 0.34, 0x3A3A3C, 0);
        m.box(f, 0, 0.2 * k, 0.8, 0.32, 0.5 * k, 0.22, paint, 0);
        m.box(f, 0, -0.3 * k, 0.82, 0.28, 0.62 * k, 0.1, look.seat(), 0);
        m.box(f, 0, -0.68 * k, 0.75, 0.2, 0.4 * k, 0.12, paint, 0);
        m.box(f, 0, frontY, r + 0.3, 0.14, 0.45, 0.05, paint, 0);
        m.tube(f, 0.18, -0.1 * k, 0.33, 0.2, -0.75 * k, 0.42, 0.08, 0x9A9A9A, 0);
        m.tube(f, 0, frontY, r, 0, 0.52 * k, 1.0, 0.07, 0x888888, 0);
        m.tube(f, -0.36, 0.5 * k, 1.03, 0.36, 0.5 * k, 1.03, 0.04, 0x202020, 0);
        m.layer(2);
        m.box(f, 0, 0.62 * k, 0.92, 0.2, 0.12, 0.16, 0x1A1A1A, 0);
        m.polygon(f, 0xE0E0D8, Mesh.LAMP, -0.07, 0.685 * k, 0.86, -0.07, 0.685 * k, 0.98, 0.07, 0.685 * k, 0.98, 0.07,
                0.685 * k, 0.86);
        m.polygon(f, braking ? 0xFF3020 : 0x9A1414, braking ? Mesh.EMISSIVE : Mesh.LAMP, -0.06, -0.885 * k, 0.72,
                0.06, -0.885 * k, 0.72, 0.06, -0.885 * k, 0.8, -0.06, -0.885 * k, 0.8);
    }

    /** Where the rider sits: local (y, z) of the seat. */
    public static double[] seat(TwoWheelerLook look) {
        return look.motor() ? new double[]{-0.22 * look.scale(), 0.86} : new double[]{-0.25 * look.scale(),
            0.86 * look.scale() + 0.06};
    }

    /** The rider's feet (left, right) relative to the seat, as (y, z) pairs, for the crank angle. */
    public static double[][] feet(TwoWheelerLook look, double phase) {
        double[] seat = seat(look);
        if (look.motor()) {
            return new double[][]{{0.28 - seat[0] + 0.0, 0.36 - seat[1]}, {0.28 - seat[0], 0.36 - seat[1]}};
        }
        double k = look.scale();
        double by = -0.05 * k;
        double bz = 0.30;
        double[][] feet = new double[2][];
        for (int i = 0; i < 2; i++) {
            double a = phase + (i == 0 ? 0 : Math.PI);
            feet[i] = new double[]{by + 0.17 * Math.cos(a) - seat[0], bz + 0.17 * Math.sin(a) + 0.04 - seat[1]};
        }
        return feet;
    }

    /** The rider's hands on the bars, (y, z) relative to the seat. */
    public static double[] hands(TwoWheelerLook look) {
        double[] seat = seat(look);
        return look.motor() ? new double[]{0.5 * look.scale() - seat[0], 1.03 - seat[1]}
                : new double[]{0.34 * look.scale() - seat[0], 0.86 * look.scale() + 0.12 - seat[1]};
    }
}
