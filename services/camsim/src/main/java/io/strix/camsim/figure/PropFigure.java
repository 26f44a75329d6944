package io.strix.camsim.figure;

import io.strix.camsim.world.Prop;
import io.strix.camsim.world.Rng;

/** Street furniture and trees: built once per scene into sprites, they occlude whatever passes behind them. */
public final class PropFigure {
    private static final int[] LEAVES = {0x3E6B2A, 0x4A7A30, 0x5A8A36, 0x35602A, 0x6B8F3A, 0x4F7F3F, 0x7A9A40};
    private static final int[] POLES = {0x3A3D40, 0x2E3B2E, 0x50555A, 0x222222};

    private PropFigure() {
    }

    public static void build(Mesh m, Prop p) {
        Rng rng = new Rng(p.seed());
        Xform f = Xform.at(p.x(), p.y(), 0, p.heading());
        double k = p.scale();
        switch (p.kind()) {
            case TREE -> tree(m, f, k, rng);
            case LAMP -> lamp(m, f, k, rng);
            case TRAFFIC_LIGHT -> trafficLight(m, f, k);
            case SIGN -> sign(m, f, rng);
            case BENCH -> bench(m, f, rng);
            case BIN -> m.column(f, 0, 0, 0, 0.9, 0.24, 8, rng.pick(java.util.List.of(0x2E4A2E, 0x333333, 0x5A5A5A,
                    0x1E3A5A)), 0x222222, 0);
            case HYDRANT -> {
                int c = rng.chance(0.6) ? 0xB22222 : 0xD8B020;
                m.column(f, 0, 0, 0, 0.55, 0.11, 8, c, c, 0);
                m.sphere(f, 0, 0, 0.58, 0.1, c, 0);
                m.tube(f, -0.18, 0, 0.38, 0.18, 0, 0.38, 0.08, c, 0);
            }
            case BOLLARD -> {
                m.column(f, 0, 0, 0, 0.9, 0.08, 8, 0x3A3A3A, 0x3A3A3A, 0);
                m.column(f, 0, 0, 0.72, 0.8, 0.085, 8, 0xDDDDDD, 0xDDDDDD, 0);
            }
            case PLANTER -> {
                m.box(f, 0, 0, 0.25, 1.0, 1.0, 0.5, 0x9A968E, 0);
                for (int i = 0; i < 7; i++) {
                    m.sphere(f, rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3), rng.uniform(0.6, 0.9),
                            rng.uniform(0.22, 0.35), LEAVES[rng.nextInt(LEAVES.length)], 0);
                }
            }
            case CONE -> {
                m.column(f, 0, 0, 0, 0.05, 0.2, 8, 0x222222, 0x222222, 0);
                double[] r = {0.16, 0.12, 0.09, 0.05};
                int[] c = {0xF06020, 0xEEEEEE, 0xF06020};
                for (int i = 0; i < 3; i++) {
                    frustum(m, f, 0.05 + i * 0.2, 0.25 + i * 0.2, r[i], r[i + 1], c[i]);
                }
            }
            case SHELTER -> shelter(m, f, rng);
            case MAILBOX -> {
                int c = rng.pick(java.util.List.of(0x1E4A9A, 0xB22222, 0xE0B000));
                m.box(f, 0, 0, 0.55, 0.45, 0.45, 0.7, c, 0);
                m.box(f, 0, 0, 0.1, 0.3, 0.3, 0.2, 0x333333, 0);
            }
            case FLAG -> {
                double len = 1.8;
                m.tube(f, 0, 0, 3.2, 0, len, 3.9, 0.05, 0xCCCCCC, 0);
                int c = rng.pick(java.util.List.of(0xC62828, 0x1565C0, 0x2E7D32, 0xF9A825, 0xEEEEEE));
                m.polygon(f, c, Mesh.DOUBLE_SIDED, 0, len * 0.35, 3.4, 0, len, 3.85, 0, len, 2.85, 0, len * 0.35, 2.5);
            }
        }
        m.layer(0);
    }

    private static void frustum(Mesh m, Xform f, double z0, double z1, double r0, double r1, int color) {
        int n = 8;
        for (int i = 0; i < n; i++) {
            double a0 = 2 * Math.PI * i / n;
            double a1 = 2 * Math.PI * (i + 1) / n;
            m.polygon(f, color, 0, r0 * Math.cos(a0), r0 * Math.sin(a0), z0, r0 * Math.cos(a1), r0 * Math.sin(a1), z0,
                    r1 * Math.cos(a1), r1 * Math.sin(a1), z1, r1 * Math.cos(a0), r1 * Math.sin(a0), z1);
        }
    }

    private static void tree(Mesh m, Xform f, double k, Rng rng) {
        double trunkTop = rng.uniform(2.0, 3.0) * k;
        int bark = rng.pick(java.util.List.of(0x4A3A2A, 0x5A4A3A, 0x6A5A48, 0x3A3028));
        m.layer(0);
        m.column(f, 0, 0, 0, trunkTop + 0.8 * k, 0.14 * k, 8, bark, bark, 0);
        double cz = trunkTop + rng.uniform(1.4, 2.0) * k;
        double rx = rng.uniform(1.5, 2.3) * k;
        double rz = rng.uniform(1.4, 2.1) * k;
        for (int i = 0; i < 4; i++) {
            double a = rng.uniform(0, 2 * Math.PI);
            m.tube(f, 0, 0, trunkTop * 0.9, Math.cos(a) * rx * 0.6, Math.sin(a) * rx * 0.6, cz + rng.uniform(-0.3, 0.5),
                    0.1 * k, bark, 0);
        }
        m.layer(1);
        int base = LEAVES[rng.nextInt(LEAVES.length)];
        int blobs = 34;
        for (int i = 0; i < blobs; i++) {
            double u;
            double v;
            double w;
            do {
                u = rng.uniform(-1, 1);
                v = rng.uniform(-1, 1);
                w = rng.uniform(-1, 1);
            } while (u * u + v * v + w * w > 1);
            double lift = 0.82 + 0.3 * (w + 1) / 2 + rng.uniform(-0.08, 0.08);
            int c = Palette.shade(base, lift);
            m.sphere(f, u * rx * 0.8, v * rx * 0.8, cz + w * rz * 0.75, rng.uniform(0.45, 0.8) * k, c, 0);
        }
    }

    private static void lamp(Mesh m, Xform f, double height, Rng rng) {
        int pole = POLES[rng.nextInt(POLES.length)];
        m.column(f, 0, 0, 0, 0.6, 0.14, 8, pole, pole, 0);
        m.column(f, 0, 0, 0.6, height, 0.075, 8, pole, pole, 0);
        double arm = height * 0.22;
        m.tube(f, 0, 0, height - 0.05, 0, arm, height + 0.1, 0.07, pole, 0);
        m.box(f, 0, arm, height, 0.28, 0.6, 0.12, pole, 0);
        m.polygon(f, 0xF4E8C8, Mesh.LAMP, -0.12, arm - 0.26, height - 0.065, -0.12, arm + 0.26, height - 0.065, 0.12,
                arm + 0.26, height - 0.065, 0.12, arm - 0.26, height - 0.065);
    }

    private static void trafficLight(Mesh m, Xform f, double height) {
        m.column(f, 0, 0, 0, height + 0.5, 0.07, 8, 0x2A2A2A, 0x2A2A2A, 0);
        m.box(f, 0, 0.12, height + 0.05, 0.32, 0.22, 0.95, 0x1A1A1A, 0);
        for (int i = 0; i < 3; i++) {
            double z = height + 0.35 - i * 0.3;
            int c = i == 0 ? 0x4A1010 : (i == 1 ? 0x4A3A10 : 0x103A18);
            disc(m, f, 0, 0.235, z, 0.1, c);
        }
    }

    /** World positions of the red, amber and green lamps of a traffic light prop. */
    public static double[][] signalLamps(Prop p) {
        Xform f = Xform.at(p.x(), p.y(), 0, p.heading());
        double[][] lamps = new double[3][];
        for (int i = 0; i < 3; i++) {
            double z = p.scale() + 0.35 - i * 0.3;
            lamps[i] = new double[]{f.wx(0, 0.24, z), f.wy(0, 0.24, z), z};
        }
        return lamps;
    }

    /** World position of a street lamp's head. */
    public static double[] lampHead(Prop p) {
        Xform f = Xform.at(p.x(), p.y(), 0, p.heading());
        double arm = p.scale() * 0.22;
        return new double[]{f.wx(0, arm, p.scale() - 0.1), f.wy(0, arm, p.scale() - 0.1), p.scale() - 0.1};
    }

    private static void disc(Mesh m, Xform f, double x, double y, double z, double r, int color) {
        double[] xyz = new double[8 * 3];
        for (int i = 0; i < 8; i++) {
            double a = 2 * Math.PI * i / 8;
            xyz[i * 3] = x - r * Math.cos(a);
            xyz[i * 3 + 1] = y;
            xyz[i * 3 + 2] = z + r * Math.sin(a);
        }
        m.polygon(f, color, 0, xyz);
    }

    private static void sign(Mesh m, Xform f, Rng rng) {
        m.tube(f, 0, 0, 0, 0, 0, 2.6, 0.06, 0x8A8A8A, 0);
        int kind = rng.nextInt(3);
        int color = kind == 0 ? 0x1E5AA8 : (kind == 1 ? 0xC62828 : 0xEEEEEE);
        double z = 2.3;
        double r = 0.32;
        double[] xyz = new double[8 * 3];
        for (int i = 0; i < 8; i++) {
            double a = 2 * Math.PI * (i + 0.5) / 8;
            xyz[i * 3] = -r * Math.cos(a);
            xyz[i * 3 + 1] = 0.04;
            xyz[i * 3 + 2] = z + r * Math.sin(a);
        }
        m.polygon(f, color, Mesh.DOUBLE_SIDED, xyz);
    }

    private static void bench(Mesh m, Xform f, Rng rng) {
        int wood = rng.pick(java.util.List.of(0x7A5A3A, 0x5A4030, 0x3A4A3A, 0x555555));
        m.box(f, 0, 0, 0.45, 1.7, 0.45, 0.06, wood, 0);
        m.box(f, 0, -0.22, 0.72, 1.7, 0.05, 0.4, wood, 0);
        for (int s = -1; s <= 1; s += 2) {
            m.box(f, s * 0.7, 0, 0.22, 0.06, 0.4, 0.44, 0x333333, 0);
        }
    }

    private static void shelter(Mesh m, Xform f, Rng rng) {
        int frame = rng.pick(java.util.List.of(0x444444, 0x2E4A2E, 0x8A8A8A));
        m.box(f, 0, 0, 2.55, 3.6, 1.7, 0.12, frame, 0);
        for (int sx = -1; sx <= 1; sx += 2) {
            m.box(f, sx * 1.75, -0.75, 1.25, 0.08, 0.08, 2.5, frame, 0);
            m.box(f, sx * 1.75, 0.75, 1.25, 0.08, 0.08, 2.5, frame, 0);
        }
        m.polygon(f, 0x8AA0AA, Mesh.DOUBLE_SIDED | Mesh.GLASS, -1.7, -0.78, 0.2, 1.7, -0.78, 0.2, 1.7, -0.78, 2.45,
                -1.7, -0.78, 2.45);
        int ad = rng.pick(java.util.List.of(0xE8D8A0, 0xA0C8E8, 0xE8A0A0, 0xD0E8A0));
        m.box(f, 1.75, 0, 1.3, 0.12, 1.3, 1.8, ad, 0);
        m.box(f, 0, -0.5, 0.45, 2.4, 0.35, 0.05, 0x666666, 0);
    }
}
