package io.strix.camsim.figure;

import io.strix.camsim.world.Fast;

/**
 * A person built from parts: legs of thigh, shin and foot that swing with the gait, pelvis and a tapered torso in
 * the clothes' colours, arms swinging against the legs, neck, head and hair, and what they carry. Riders sit with
 * their feet on pedals or pegs and their hands on the bars.
 */
public final class PersonFigure {
    private PersonFigure() {
    }

    /** How the person holds themselves. */
    public enum Pose { WALK, STAND, BICYCLE, MOTORCYCLE }

    /**
     * Adds the person to the mesh.
     *
     * @param heading direction faced (0 = +y)
     * @param phase   gait cycle (walking) or crank angle (cycling), radians
     * @param stride  0 standing still .. 1 a normal walk .. 2 running
     * @param camX    camera position, to choose which limbs are drawn first
     */
    public static void build(Mesh m, PersonLook look, double x, double y, double z, double heading, double phase,
                             double stride, Pose pose, double camX, double camY, double camZ) {
        build(m, look, x, y, z, heading, phase, stride, pose, null, null, camX, camY, camZ);
    }

    /**
     * Adds a person; riders give their foot targets (left and right, local y and z relative to the seat, which is
     * at (x, y, z)) and their hands' target (local y and z) on the handlebar.
     */
    public static void build(Mesh m, PersonLook look, double x, double y, double z, double heading, double phase,
                             double stride, Pose pose, double[][] feet, double[] hands, double camX, double camY,
                             double camZ) {
        double s = look.height() / 1.75;
        double b = look.build();
        Xform body = Xform.at(x, y, z, heading);
        double side = body.localX(camX - x, camY - y, camZ - z);
        int near = side > 0 ? 1 : -1;
        boolean seated = pose == Pose.BICYCLE || pose == Pose.MOTORCYCLE;

        double hipZ = seated ? 0 : 0.95 * s;
        double hipW = 0.085 * s * b * (pose == Pose.MOTORCYCLE ? 1.5 : 1);
        double thigh = 0.46 * s;
        double shin = 0.43 * s;
        double shoulderW = 0.2 * s * b;
        double upperArm = 0.30 * s;
        double foreArm = 0.27 * s;
        double amp = pose == Pose.WALK ? Math.min(0.5, 0.38 * stride) : 0;
        double bob = pose == Pose.WALK ? -0.025 * s * Math.abs(Math.cos(phase)) * Math.min(1, stride) : 0;
        double lean = switch (pose) {
            case WALK -> 0.04 * Math.min(stride, 1.5);
            case STAND -> 0;
            case BICYCLE -> 0.42;
            case MOTORCYCLE -> 0.25;
        };

        // Torso frame: origin at the waist, z up the spine, leaning forward.
        Xform torso = body.copy();
        double torsoLen;
        if (seated) {
            torso.move(0, -0.04 * s, 0.02 * s).pitch(-lean);
            torsoLen = 0.56 * s;
        } else {
            torso.move(0, 0, hipZ + bob - 0.04 * s).pitch(-lean);
            torsoLen = 1.48 * s - hipZ + 0.04 * s;
        }
        double shoulderZ = torsoLen - 0.06 * s;

        double[][] legs = new double[2][];
        double[][] arms = new double[2][];
        for (int k = 0; k < 2; k++) {
            double sgn = k == 0 ? -1 : 1;
            double ph = phase + (k == 0 ? 0 : Math.PI);
            if (seated) {
                double[] foot = feet[k];
                legs[k] = legTo(sgn * hipW, 0, 0, foot[0], foot[1], thigh, shin);
                // Hand target from the body frame into the torso frame.
                double wx = body.wx(sgn * shoulderW * 1.15, hands[0], hands[1]);
                double wy = body.wy(sgn * shoulderW * 1.15, hands[0], hands[1]);
                double wz = body.wz(sgn * shoulderW * 1.15, hands[0], hands[1]);
                double shx = torso.wx(sgn * shoulderW, 0, shoulderZ);
                double shy = torso.wy(sgn * shoulderW, 0, shoulderZ);
                double shz = torso.wz(sgn * shoulderW, 0, shoulderZ);
                double ty = torso.localY(wx - shx, wy - shy, wz - shz);
                double tz = torso.localZ(wx - shx, wy - shy, wz - shz);
                arms[k] = armTo(sgn * shoulderW, shoulderZ, ty, tz, upperArm, foreArm);
            } else {
                double a = amp * Math.sin(ph);
                double knee = amp * 1.3 * Math.max(0, Math.cos(ph)) + (pose == Pose.STAND ? 0.02 : 0.08);
                legs[k] = leg(sgn * hipW, hipZ + bob, thigh, shin, a, a - knee);
                double swing = -0.8 * a;
                double bend = 0.25 + 0.3 * Math.max(0, Math.sin(-ph)) * Math.min(1, stride);
                arms[k] = arm(sgn * shoulderW, shoulderZ, upperArm, foreArm, swing, swing + bend);
            }
        }
        int pants = look.bottom();
        int skinC = look.skin();
        int sleeve = look.top();

        // Legs: the far one first, then the body, then the near one.
        for (int pass = 0; pass < 2; pass++) {
            int k = pass == 0 ? (near > 0 ? 0 : 1) : (near > 0 ? 1 : 0);
            m.layer(pass == 0 ? 0 : 2);
            double[] l = legs[k];
            int upper = look.legwear() == PersonLook.Legwear.SKIRT ? skinC : pants;
            int lower = look.legwear() == PersonLook.Legwear.TROUSERS ? pants : skinC;
            m.segment(body, l[0], l[1], l[2], l[3], l[4], l[5], 0.15 * s * b, 0.16 * s * b, upper, 0);
            m.segment(body, l[3], l[4], l[5], l[6], l[7], l[8], 0.115 * s * b, 0.125 * s * b, lower, 0);
            double fx = l[6];
            double fy = l[7];
            double fz = l[8];
            m.segment(body, fx, fy - 0.05 * s, fz - 0.035 * s, fx, fy + 0.19 * s, fz - 0.045 * s,
                    0.1 * s, 0.075 * s, look.shoes(), 0);
        }

        // Torso (a taper from waist to shoulders), pelvis, coat, bags.
        m.layer(1);
        int pelvisColor = look.coat() ? look.top() : pants;
        m.box(torso, 0, 0, 0.03 * s, 0.3 * s * b, 0.2 * s * b, 0.14 * s, pelvisColor, 0);
        Xform turned = torso.copy().yaw(Math.PI / 2);
        double waist = 0.145 * s * b;
        double shoulders = 0.205 * s * b;
        double depth = 0.23 * s * b;
        m.prism(turned, new double[]{-waist, waist, shoulders, -shoulders}, new double[]{0.02 * s, 0.02 * s,
            torsoLen, torsoLen}, -depth / 2, depth / 2, look.top(), null, null, 0);
        if (look.coat() && !seated) {
            m.prism(turned, new double[]{-0.17 * s * b, 0.17 * s * b, waist + 0.02, -waist - 0.02},
                    new double[]{-0.38 * s, -0.38 * s, 0.05 * s, 0.05 * s}, -depth / 2 - 0.01, depth / 2 + 0.01,
                    look.top(), null, null, 0);
        }
        if (look.legwear() == PersonLook.Legwear.SKIRT && !seated) {
            m.prism(turned, new double[]{-0.2 * s * b, 0.2 * s * b, waist, -waist},
                    new double[]{-0.36 * s, -0.36 * s, 0.06 * s, 0.06 * s}, -0.12 * s * b, 0.12 * s * b, pants, null,
                    null, 0);
        }
        if (look.backpack() != 0) {
            m.box(torso, 0, -depth / 2 - 0.075 * s, torsoLen * 0.55, 0.3 * s * b, 0.15 * s, 0.4 * s,
                    look.backpack(), 0);
        }
        if (look.bag() != 0 && !seated) {
            m.box(body, -near * (shoulderW + 0.07 * s), 0.02, hipZ - 0.05 * s, 0.08 * s, 0.26 * s, 0.24 * s,
                    look.bag(), 0);
        }

        // Arms: far arm behind the torso, near arm in front.
        for (int pass = 0; pass < 2; pass++) {
            int k = pass == 0 ? (near > 0 ? 0 : 1) : (near > 0 ? 1 : 0);
            m.layer(pass == 0 ? 0 : 3);
            double[] a = arms[k];
            int fore = look.longSleeves() ? sleeve : skinC;
            m.segment(torso, a[0], a[1], a[2], a[3], a[4], a[5], 0.095 * s * b, 0.1 * s * b, sleeve, 0);
            m.segment(torso, a[3], a[4], a[5], a[6], a[7], a[8], 0.08 * s * b, 0.085 * s * b, fore, 0);
            double hx = a[6] + (a[6] - a[3]) * 0.3;
            double hy = a[7] + (a[7] - a[4]) * 0.3;
            double hz = a[8] + (a[8] - a[5]) * 0.3;
            m.segment(torso, a[6], a[7], a[8], hx, hy, hz, 0.075 * s, 0.05 * s, skinC, 0);
        }

        // Neck, head, hair or headwear.
        m.layer(3);
        double headR = 0.115 * Math.pow(s, 0.7);
        Xform neckFrame = torso.copy().move(0, 0.01 * s, torsoLen).pitch(lean * 0.8);
        m.segment(neckFrame, 0, 0, -0.02, 0, 0.01, 0.075 * s, 0.09 * s, 0.09 * s, skinC, 0);
        double hz = 0.075 * s + headR * 0.9;
        switch (look.hairStyle()) {
            case SHORT -> m.sphere(neckFrame, 0, -0.025 * s, hz + 0.035 * s, headR * 1.0, look.hair(), 0);
            case LONG -> {
                m.sphere(neckFrame, 0, -0.03 * s, hz + 0.03 * s, headR * 1.06, look.hair(), 0);
                m.box(neckFrame, 0, -0.07 * s, hz - headR * 0.7, headR * 1.8, 0.07 * s, headR * 2.0, look.hair(), 0);
            }
            case CAP -> {
                m.box(neckFrame, 0, 0.0, hz + headR * 0.75, headR * 2.0, headR * 2.1, headR * 0.55, look.headwear(),
                        0);
                m.box(neckFrame, 0, headR * 1.3, hz + headR * 0.55, headR * 1.6, headR * 0.9, 0.015,
                        look.headwear(), 0);
            }
            default -> {
            }
        }
        m.sphere(neckFrame, 0, 0.005 * s, hz, headR, skinC, 0);
        if (look.hairStyle() == PersonLook.Hair.HELMET) {
            m.layer(4);
            m.sphere(neckFrame, 0, -0.01 * s, hz + 0.02 * s, headR * 1.28, look.headwear(), 0);
        }
        if (look.umbrella() != 0 && !seated) {
            m.layer(5);
            double[] hand = arms[near > 0 ? 1 : 0];
            double ux = hand[6];
            double uy = hand[7] + 0.1;
            double uz = hand[8];
            double canopyZ = torsoLen + 0.55 * s;
            m.tube(torso, ux, uy, uz, ux * 0.3, uy * 0.5, canopyZ, 0.02, 0x222222, Mesh.NO_MASK);
            double r = 0.55;
            double[] xyz = new double[8 * 3];
            for (int i = 0; i < 8; i++) {
                double ang = 2 * Math.PI * i / 8;
                xyz[i * 3] = ux * 0.3 + r * Math.cos(ang);
                xyz[i * 3 + 1] = uy * 0.5 + r * Math.sin(ang);
                xyz[i * 3 + 2] = canopyZ - 0.12;
            }
            m.polygon(torso, look.umbrella(), Mesh.DOUBLE_SIDED | Mesh.NO_MASK, xyz);
        }
        m.layer(0);
    }

    /** Hip, knee and ankle (9 numbers) for a leg with the given thigh and shin angles (positive forward). */
    private static double[] leg(double hx, double hz, double thigh, double shin, double thighAngle,
                                double shinAngle) {
        double kx = hx;
        double ky = thigh * Math.sin(thighAngle);
        double kz = hz - thigh * Math.cos(thighAngle);
        double ay = ky + shin * Math.sin(shinAngle);
        double az = kz - shin * Math.cos(shinAngle);
        return new double[]{hx, 0, hz, kx, ky, kz, hx, ay, az, hx};
    }

    /** A leg from the hip to a foot target, the knee bent forward (two-bone inverse kinematics in the y-z plane). */
    private static double[] legTo(double hx, double hy, double hz, double fy, double fz, double thigh, double shin) {
        double dy = fy - hy;
        double dz = fz - hz;
        double d = Math.min(thigh + shin - 1e-3, Fast.hypot(dy, dz));
        double a = Math.atan2(dz, dy);
        double cosK = (thigh * thigh + d * d - shin * shin) / (2 * thigh * d);
        double k = Math.acos(Math.max(-1, Math.min(1, cosK)));
        double ka = a + k;
        double ky = hy + thigh * Math.cos(ka);
        double kz = hz + thigh * Math.sin(ka);
        double ey = hy + d * Math.cos(a);
        double ez = hz + d * Math.sin(a);
        return new double[]{hx, hy, hz, hx, ky, kz, hx, ey, ez, hx};
    }

    /** Shoulder, elbow and wrist in the torso frame for an arm hanging from (sx, sz), swung by the given angles. */
    private static double[] arm(double sx, double sz, double upper, double fore, double upperAngle,
                                double foreAngle) {
        double ex = sx * 1.06;
        double ey = upper * Math.sin(upperAngle);
        double ez = sz - upper * Math.cos(upperAngle);
        double wy = ey + fore * Math.sin(foreAngle);
        double wz = ez - fore * Math.cos(foreAngle);
        return new double[]{sx, 0, sz, ex, ey, ez, ex * 1.02, wy, wz};
    }

    /** An arm from the shoulder (sx, 0, sz) reaching a hand target (dy, dz) relative to it, elbow bent down. */
    private static double[] armTo(double sx, double sz, double dy, double dz, double upper, double fore) {
        double d = Math.min(upper + fore - 1e-3, Fast.hypot(dy, dz));
        double a = Math.atan2(dz, dy);
        double cosE = (upper * upper + d * d - fore * fore) / (2 * upper * d);
        double e = Math.acos(Math.max(-1, Math.min(1, cosE)));
        double ea = a - e;
        return new double[]{sx, 0, sz, sx * 1.1, upper * Math.cos(ea), sz + upper * Math.sin(ea), sx * 1.15,
            d * Math.cos(a), sz + d * Math.sin(a)};
    }
}
