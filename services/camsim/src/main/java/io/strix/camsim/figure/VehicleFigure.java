package io.strix.camsim.figure;

/**
 * Cars, vans, pickups, box trucks and buses: a body extruded from a side profile (bonnet, windscreen, roof, rear
 * window, boot), side windows with pillars, lights, grille, number plates, mirrors and wheels. Glass reflects the sky;
 * lights glow when it is dark, brake lights when braking, indicators when turning.
 */
public final class VehicleFigure {
    private static final int D = 0;
    private static final int B = 1;
    private static final int G = 2;
    private static final int F = 3;
    private static final int R = 4;
    private static final int TYRE = 0x161616;
    private static final int HUB = 0x8E8E8E;
    private static final int DARK = 0x1A1A1A;

    private VehicleFigure() {
    }

    /** Lights and signals of a vehicle at one instant. */
    public record Signals(boolean braking, int turn, boolean blinkOn) {
        public static final Signals NONE = new Signals(false, 0, false);
    }

    public static void build(Mesh m, VehicleLook v, double x, double y, double heading, Signals signals,
                             double camX, double camY, double camZ) {
        Xform f = Xform.at(x, y, 0, heading);
        double lx = f.localX(camX - x, camY - y, camZ);
        double ly = f.localY(camX - x, camY - y, camZ);
        int near = lx > 0 ? 1 : -1;
        boolean endOn = Math.abs(ly) > Math.abs(lx) * 1.6;
        switch (v.type()) {
            case BUS -> bus(m, f, v, near, endOn, signals);
            case BOX_TRUCK -> boxTruck(m, f, v, near, endOn, signals);
            default -> car(m, f, v, near, endOn, signals);
        }
        m.layer(0);
    }

    private static void car(Mesh m, Xform f, VehicleLook v, int near, boolean endOn, Signals signals) {
        double h = v.length() / 2;
        double L = v.length();
        double H = v.height();
        double W = v.width();
        double c = 0.2;
        double[] py;
        double[] pz;
        int[] kinds;
        switch (v.type()) {
            case HATCHBACK -> {
                py = new double[]{-h, h, h, h - 0.2 * L, h - 0.41 * L, -h + 0.09 * L, -h};
                pz = new double[]{c, c, 0.68, 0.94, H, H - 0.03, 0.98};
                kinds = new int[]{D, F, B, G, B, G, R};
            }
            case WAGON -> {
                py = new double[]{-h, h, h, h - 0.22 * L, h - 0.41 * L, -h + 0.05 * L, -h};
                pz = new double[]{c, c, 0.66, 0.92, H, H - 0.02, 0.98};
                kinds = new int[]{D, F, B, G, B, G, R};
            }
            case SUV -> {
                py = new double[]{-h, h, h, h - 0.17 * L, h - 0.34 * L, -h + 0.04 * L, -h};
                pz = new double[]{c + 0.04, c + 0.04, 0.84, 1.04, H, H - 0.02, 1.06};
                kinds = new int[]{D, F, B, G, B, G, R};
            }
            case VAN -> {
                py = new double[]{-h, h, h, h - 0.11 * L, h - 0.25 * L, -h, -h};
                pz = new double[]{c + 0.03, c + 0.03, 0.92, 1.12, H, H, H * 0.58};
                kinds = new int[]{D, F, B, G, B, G, R};
            }
            case PICKUP -> {
                py = new double[]{-h, h, h, h - 0.17 * L, h - 0.31 * L, h - 0.48 * L, h - 0.48 * L, -h};
                pz = new double[]{c + 0.08, c + 0.08, 0.95, 1.12, H, H, 1.12, 1.12};
                kinds = new int[]{D, F, B, G, B, G, D, R};
            }
            default -> {
                py = new double[]{-h, h, h, h - 0.22 * L, h - 0.42 * L, -h + 0.25 * L, -h + 0.09 * L, -h};
                pz = new double[]{c, c, 0.66, 0.92, H, H, 0.96, 0.9};
                kinds = new int[]{D, F, B, G, B, G, B, R};
            }
        }
        int paint = v.paint();
        int[] colors = new int[kinds.length];
        int[] flags = new int[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            colors[i] = switch (kinds[i]) {
                case D -> DARK;
                case G -> v.glass();
                default -> paint;
            };
            flags[i] = kinds[i] == G ? Mesh.GLASS : (kinds[i] == D ? Mesh.SHADED : 0);
        }
        double wheelY = h - Math.min(0.95, 0.19 * L);
        double rearWheelY = -h + Math.min(1.0, 0.2 * L);
        double r = v.wheelRadius();
        double wx = W / 2 - 0.11;
        // Far wheels (or all four when seen from the front or back) go under the body.
        m.layer(0);
        for (int s = -1; s <= 1; s += 2) {
            if (s != near || endOn) {
                m.wheel(f, s * wx, wheelY, r, r, 0.22, 10, TYRE, HUB, 0);
                m.wheel(f, s * wx, rearWheelY, r, r, 0.22, 10, TYRE, HUB, 0);
            }
        }
        m.layer(1);
        m.prism(f, py, pz, -W / 2, W / 2, paint, colors, flags, 0);
        // Side windows: from the windscreen's foot and top to the rear glass, inset, with a pillar between.
        int iw0 = 3;
        int iw1 = 4;
        int ir1 = v.type() == VehicleLook.Type.PICKUP ? 5 : 5;
        int ir0 = v.type() == VehicleLook.Type.PICKUP ? 6 : (v.type() == VehicleLook.Type.SEDAN
                || v.type() == VehicleLook.Type.TAXI ? 6 : 6);
        double belt = pz[iw0] + 0.03;
        double top = H - 0.06;
        double frontBottom = py[iw0] - 0.1;
        double frontTop = py[iw1] - 0.06;
        double rearTop = v.type() == VehicleLook.Type.PICKUP ? py[ir1] + 0.08 : py[ir1] + 0.05;
        double rearBottom = v.type() == VehicleLook.Type.PICKUP ? py[ir0] + 0.08
                : Math.max(py[ir0] + 0.1, py[ir1] - 0.4);
        if (v.type() == VehicleLook.Type.VAN || v.type() == VehicleLook.Type.WAGON
                || v.type() == VehicleLook.Type.SUV || v.type() == VehicleLook.Type.HATCHBACK) {
            rearBottom = py[ir1] + 0.12;
            rearTop = py[ir1] + 0.1;
        }
        m.layer(2);
        for (int s = -1; s <= 1; s += 2) {
            sidePolygon(m, f, s * (W / 2 + 0.004), v.glass(), Mesh.GLASS,
                    rearBottom, belt, frontBottom, belt, frontTop, top, rearTop, top);
            // Dark wheel arches around the wheels.
            arch(m, f, s * (W / 2 + 0.003), wheelY, r);
            arch(m, f, s * (W / 2 + 0.003), rearWheelY, r);
        }
        m.layer(3);
        double pillarY = (frontBottom + rearBottom) / 2 - 0.1;
        for (int s = -1; s <= 1; s += 2) {
            sidePolygon(m, f, s * (W / 2 + 0.008), paint, 0, pillarY - 0.05, belt, pillarY + 0.05, belt,
                    pillarY + 0.05, top + 0.02, pillarY - 0.05, top + 0.02);
            if (v.type() == VehicleLook.Type.VAN) {
                sidePolygon(m, f, s * (W / 2 + 0.008), paint, 0, pillarY - 0.9, belt, pillarY - 0.8, belt,
                        pillarY - 0.8, top + 0.02, pillarY - 0.9, top + 0.02);
            }
            // Door line and handle.
            sidePolygon(m, f, s * (W / 2 + 0.008), Palette.shade(paint, 0.6), 0, pillarY - 0.01, c + 0.2,
                    pillarY + 0.01, c + 0.2, pillarY + 0.01, belt - 0.02, pillarY - 0.01, belt - 0.02);
            m.box(f, s * (W / 2 + 0.06), py[iw0] - 0.05, belt + 0.08, 0.12, 0.08, 0.1, paint, 0);
        }
        double frontY = py[1] + 0.004;
        double lampZ = pz[2] - 0.14;
        frontQuad(m, f, frontY, -W / 2 + 0.12, W / 2 - 0.12, c + 0.25, c + 0.42, DARK, 0);
        frontQuad(m, f, frontY, -W * 0.22, W * 0.22, lampZ - 0.22, lampZ + 0.05, 0x202224, 0);
        frontQuad(m, f, frontY + 0.002, -0.26, 0.26, c + 0.27, c + 0.39, 0xE8E8E0, 0);
        for (int s = -1; s <= 1; s += 2) {
            double x0 = s > 0 ? W / 2 - 0.36 : -W / 2 + 0.08;
            frontQuad(m, f, frontY, x0, x0 + 0.28, lampZ - 0.07, lampZ + 0.07, 0xD8DCE0, Mesh.LAMP);
        }
        double rearY = py[0] - 0.004;
        double tailZ = v.type() == VehicleLook.Type.VAN ? 0.95 : pz[pz.length - 1] - 0.12;
        rearQuad(m, f, rearY, -0.26, 0.26, c + 0.3, c + 0.42, 0xE8E8E0, 0);
        for (int s = -1; s <= 1; s += 2) {
            double x0 = s > 0 ? W / 2 - 0.34 : -W / 2 + 0.06;
            boolean brake = signals.braking();
            boolean blink = signals.blinkOn() && signals.turn() == -s;
            int color = blink ? 0xFFB020 : (brake ? 0xFF3020 : 0x9A1414);
            rearQuad(m, f, rearY, x0, x0 + 0.28, tailZ - 0.08, tailZ + 0.06, color,
                    brake || blink ? Mesh.EMISSIVE : Mesh.LAMP);
            if (signals.blinkOn() && signals.turn() == -s) {
                frontQuad(m, f, frontY + 0.003, x0, x0 + 0.1, lampZ - 0.07, lampZ + 0.07, 0xFFB020, Mesh.EMISSIVE);
            }
        }
        if (v.type() == VehicleLook.Type.TAXI) {
            m.box(f, 0, py[4] - 0.6, H + 0.09, 0.6, 0.22, 0.18, 0xF4F4F0, 0);
        }
        if (v.roofRack()) {
            m.box(f, -W / 2 + 0.15, 0, H + 0.05, 0.05, L * 0.5, 0.06, DARK, 0);
            m.box(f, W / 2 - 0.15, 0, H + 0.05, 0.05, L * 0.5, 0.06, DARK, 0);
        }
        m.layer(4);
        if (!endOn) {
            m.wheel(f, near * wx, wheelY, r, r, 0.22, 10, TYRE, HUB, 0);
            m.wheel(f, near * wx, rearWheelY, r, r, 0.22, 10, TYRE, HUB, 0);
        }
    }

    private static void boxTruck(Mesh m, Xform f, VehicleLook v, int near, boolean endOn, Signals signals) {
        double h = v.length() / 2;
        double W = v.width();
        double H = v.height();
        double cabRear = h - 2.2;
        double r = v.wheelRadius();
        double wx = W / 2 - 0.16;
        double frontWheel = h - 1.2;
        double rearWheel = -h + 1.9;
        m.layer(0);
        for (int s = -1; s <= 1; s += 2) {
            if (s != near || endOn) {
                m.wheel(f, s * wx, frontWheel, r, r, 0.3, 10, TYRE, HUB, 0);
                m.wheel(f, s * wx, rearWheel, r, r, 0.45, 10, TYRE, HUB, 0);
            }
        }
        m.layer(1);
        int cab = v.accent();
        m.prism(f, new double[]{cabRear, h, h, h - 0.3, h - 0.6, cabRear},
                new double[]{0.55, 0.55, 1.35, 2.35, 2.6, 2.6}, -W / 2 + 0.05, W / 2 - 0.05, cab,
                new int[]{DARK, cab, v.glass(), cab, cab, cab}, new int[]{Mesh.SHADED, 0, Mesh.GLASS, 0, 0, 0}, 0);
        m.box(f, 0, (-h + cabRear - 0.15) / 2, 0.7, W - 0.3, cabRear + h - 0.15, 0.4, DARK, 0);
        double boxLen = cabRear - 0.15 + h;
        m.box(f, 0, (-h + cabRear - 0.15) / 2, (0.95 + H) / 2, W, boxLen, H - 0.95, Palette.shade(v.paint(), 1.03),
                v.paint(), Palette.shade(v.paint(), 0.95), 0);
        m.layer(2);
        for (int s = -1; s <= 1; s += 2) {
            sidePolygon(m, f, s * (W / 2 - 0.05 + 0.004), v.glass(), Mesh.GLASS, cabRear + 0.25, 1.45,
                    h - 0.55, 1.45, h - 0.7, 2.35, cabRear + 0.25, 2.35);
            double y0 = -h + 0.4;
            double y1 = cabRear - 0.55;
            if (v.accent() != v.paint()) {
                sidePolygon(m, f, s * (W / 2 + 0.004), v.accent(), 0, y0, 1.5, y1, 1.5, y1, 1.85, y0, 1.85);
            }
            arch(m, f, s * (W / 2 - 0.05 + 0.003), frontWheel, r);
        }
        double frontY = h + 0.004;
        frontQuad(m, f, frontY, -0.5, 0.5, 0.75, 1.2, 0x202224, 0);
        for (int s = -1; s <= 1; s += 2) {
            double x0 = s > 0 ? W / 2 - 0.45 : -W / 2 + 0.15;
            frontQuad(m, f, frontY, x0, x0 + 0.3, 0.85, 1.0, 0xD8DCE0, Mesh.LAMP);
            rearQuad(m, f, -h - 0.004, x0, x0 + 0.3, 0.75, 0.9, signals.braking() ? 0xFF3020 : 0x9A1414,
                    signals.braking() ? Mesh.EMISSIVE : Mesh.LAMP);
        }
        rearQuad(m, f, -h - 0.004, -W / 2 + 0.1, W / 2 - 0.1, 1.0, H - 0.1, Palette.shade(v.paint(), 0.85), 0);
        m.layer(3);
        rearQuad(m, f, -h - 0.008, -0.02, 0.02, 1.0, H - 0.1, DARK, 0);
        m.layer(4);
        if (!endOn) {
            m.wheel(f, near * wx, frontWheel, r, r, 0.3, 10, TYRE, HUB, 0);
            m.wheel(f, near * wx, rearWheel, r, r, 0.45, 10, TYRE, HUB, 0);
        }
    }

    private static void bus(Mesh m, Xform f, VehicleLook v, int near, boolean endOn, Signals signals) {
        double h = v.length() / 2;
        double W = v.width();
        double H = v.height();
        double r = v.wheelRadius();
        double wx = W / 2 - 0.2;
        double frontWheel = h - 2.5;
        double rearWheel = -h + 3.2;
        m.layer(0);
        for (int s = -1; s <= 1; s += 2) {
            if (s != near || endOn) {
                m.wheel(f, s * wx, frontWheel, r, r, 0.3, 10, TYRE, HUB, 0);
                m.wheel(f, s * wx, rearWheel, r, r, 0.4, 10, TYRE, HUB, 0);
            }
        }
        m.layer(1);
        int paint = v.paint();
        int roof = Palette.shade(0xEEEEEE, 0.97);
        m.prism(f, new double[]{-h, h, h, h - 0.25, -h + 0.15, -h}, new double[]{0.32, 0.32, 2.85, H, H, H - 0.12},
                -W / 2, W / 2, paint, new int[]{DARK, paint, roof, roof, roof, paint},
                new int[]{Mesh.SHADED, 0, 0, 0, 0, 0}, 0);
        m.layer(2);
        for (int s = -1; s <= 1; s += 2) {
            double x = s * (W / 2 + 0.004);
            sidePolygon(m, f, x, v.glass(), Mesh.GLASS, -h + 0.5, 1.15, h - 0.9, 1.15, h - 0.9, 2.62, -h + 0.5, 2.62);
            sidePolygon(m, f, x, v.accent() == paint ? Palette.shade(paint, 0.7) : v.accent(), 0, -h + 0.2, 0.75,
                    h - 0.2, 0.75, h - 0.2, 0.98, -h + 0.2, 0.98);
            arch(m, f, s * (W / 2 + 0.003), frontWheel, r);
            arch(m, f, s * (W / 2 + 0.003), rearWheel, r);
        }
        // Doors on the kerb side (+x).
        double dx = W / 2 + 0.006;
        sidePolygon(m, f, dx, 0x222A33, Mesh.GLASS, h - 1.9, 0.36, h - 0.75, 0.36, h - 0.75, 2.62, h - 1.9, 2.62);
        sidePolygon(m, f, dx, 0x222A33, Mesh.GLASS, -0.8, 0.36, 0.45, 0.36, 0.45, 2.62, -0.8, 2.62);
        double frontY = h + 0.004;
        frontQuad(m, f, frontY, -W / 2 + 0.08, W / 2 - 0.08, 1.0, 2.5, v.glass(), Mesh.GLASS);
        frontQuad(m, f, frontY, -W / 2 + 0.25, W / 2 - 0.25, 2.55, 2.8, 0x1A1A1A, 0);
        frontQuad(m, f, frontY + 0.002, -W / 2 + 0.35, W / 2 - 0.35, 2.6, 2.75, 0xFF9A20, Mesh.LAMP);
        for (int s = -1; s <= 1; s += 2) {
            double x0 = s > 0 ? W / 2 - 0.45 : -W / 2 + 0.15;
            frontQuad(m, f, frontY, x0, x0 + 0.3, 0.55, 0.72, 0xD8DCE0, Mesh.LAMP);
            rearQuad(m, f, -h - 0.004, x0, x0 + 0.3, 0.6, 0.9, signals.braking() ? 0xFF3020 : 0x9A1414,
                    signals.braking() ? Mesh.EMISSIVE : Mesh.LAMP);
        }
        rearQuad(m, f, -h - 0.004, -W / 2 + 0.2, W / 2 - 0.2, 1.6, 2.6, v.glass(), Mesh.GLASS);
        m.layer(3);
        for (int s = -1; s <= 1; s += 2) {
            double x = s * (W / 2 + 0.008);
            for (double y = -h + 1.6; y < h - 1.2; y += 1.45) {
                if (s > 0 && (Math.abs(y - (h - 1.3)) < 0.8 || Math.abs(y + 0.2) < 0.8)) {
                    continue;
                }
                sidePolygon(m, f, x, paint, 0, y - 0.06, 1.15, y + 0.06, 1.15, y + 0.06, 2.62, y - 0.06, 2.62);
            }
        }
        m.layer(4);
        if (!endOn) {
            m.wheel(f, near * wx, frontWheel, r, r, 0.3, 10, TYRE, HUB, 0);
            m.wheel(f, near * wx, rearWheel, r, r, 0.4, 10, TYRE, HUB, 0);
        }
    }

    /** A flat polygon on the side plane x = x, given as (y, z) pairs counter-clockwise seen from +x. */
    private static void sidePolygon(Mesh m, Xform f, double x, int color, int flags, double... yz) {
        int n = yz.length / 2;
        double[] xyz = new double[n * 3];
        for (int i = 0; i < n; i++) {
            int k = x > 0 ? i : n - 1 - i;
            xyz[i * 3] = x;
            xyz[i * 3 + 1] = yz[k * 2];
            xyz[i * 3 + 2] = yz[k * 2 + 1];
        }
        m.polygon(f, color, flags, xyz);
    }

    private static void arch(Mesh m, Xform f, double x, double cy, double r) {
        double[] yz = new double[9 * 2];
        for (int i = 0; i <= 8; i++) {
            double a = Math.PI * i / 8;
            yz[i * 2] = cy + 1.15 * r * Math.cos(a);
            yz[i * 2 + 1] = r + 1.15 * r * Math.sin(a);
        }
        sidePolygon(m, f, x, 0x141414, Mesh.SHADED, yz);
    }

    private static void frontQuad(Mesh m, Xform f, double y, double x0, double x1, double z0, double z1, int color,
                                  int flags) {
        m.polygon(f, color, flags, x0, y, z0, x0, y, z1, x1, y, z1, x1, y, z0);
    }

    private static void rearQuad(Mesh m, Xform f, double y, double x0, double x1, double z0, double z1, int color,
                                 int flags) {
        m.polygon(f, color, flags, x0, y, z0, x1, y, z0, x1, y, z1, x0, y, z1);
    }

    /** World positions (x, y, z) of the two headlights, for their glow and beams at night. */
    public static double[][] headlights(VehicleLook v, double x, double y, double heading) {
        Xform f = Xform.at(x, y, 0, heading);
        double front = v.length() / 2 + 0.05;
        double z = v.type() == VehicleLook.Type.BUS ? 0.65 : (v.type() == VehicleLook.Type.BOX_TRUCK ? 0.92 : 0.6);
        double side = v.width() / 2 - 0.25;
        return new double[][]{{f.wx(-side, front, z), f.wy(-side, front, z), z},
            {f.wx(side, front, z), f.wy(side, front, z), z}};
    }

    /** World positions of the two tail lights. */
    public static double[][] taillights(VehicleLook v, double x, double y, double heading) {
        Xform f = Xform.at(x, y, 0, heading);
        double rear = -v.length() / 2 - 0.05;
        double z = v.type() == VehicleLook.Type.BUS ? 0.75 : 0.85;
        double side = v.width() / 2 - 0.2;
        return new double[][]{{f.wx(-side, rear, z), f.wy(-side, rear, z), z},
            {f.wx(side, rear, z), f.wy(side, rear, z), z}};
    }
}
