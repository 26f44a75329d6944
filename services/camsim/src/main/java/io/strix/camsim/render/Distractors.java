package io.strix.camsim.render;

import io.strix.camsim.figure.Mesh;
import io.strix.camsim.figure.Xform;
import io.strix.camsim.world.Camera;
import io.strix.camsim.world.Rng;

/**
 * Things that move but are no objects of any class, so a detector learns to ignore them: birds flying across,
 * plastic bags and leaves blowing over the street. Stateless: where each one is follows from the scene seed and the
 * time alone.
 */
final class Distractors {
    private static final int BIRDS = 4;
    private static final int BAGS = 3;

    private Distractors() {
    }

    static void draw(FrameRenderer r, double t) {
        if (!r.scene().scenario.effects().distractors() || r.scene().lighting.darkness > 0.6) {
            return;
        }
        Camera cam = r.camera();
        Mesh m = new Mesh();
        for (int i = 0; i < BIRDS; i++) {
            double period = 20 + 9 * i;
            double phase = t / period + i * 0.37;
            long epoch = (long) Math.floor(phase);
            double local = (phase - epoch) * period;
            Rng rng = new Rng(Rng.hash(r.scene().seed, i, epoch, 0xB1DL));
            if (!rng.chance(0.6)) {
                continue;
            }
            double dist = rng.uniform(12, 60);
            double speed = rng.uniform(6, 11) * (rng.chance(0.5) ? 1 : -1);
            double fx = Math.sin(cam.yaw);
            double fy = Math.cos(cam.yaw);
            double rx = Math.cos(cam.yaw);
            double ry = -Math.sin(cam.yaw);
            double lateral = -Math.signum(speed) * dist * 0.9 + speed * local;
            double x = cam.x + fx * dist + rx * lateral;
            double y = cam.y + fy * dist + ry * lateral;
            double z = rng.uniform(4, 18) + Math.sin(local * 0.7) * 0.8;
            double heading = Math.atan2(rx * speed, ry * speed);
            double flap = Math.sin(local * rng.uniform(9, 14)) * 0.7;
            m.clear();
            Xform f = Xform.at(x, y, z, heading);
            int color = rng.chance(0.7) ? 0x2A2A2E : 0x8A8A86;
            m.sphere(f, 0, 0, 0, 0.09, color, 0);
            for (int s = -1; s <= 1; s += 2) {
                double wx = s * 0.32 * Math.cos(flap);
                double wz = 0.32 * Math.sin(flap);
                m.polygon(f, color, Mesh.DOUBLE_SIDED, 0, 0.08, 0, wx, 0.0, wz, 0, -0.06, 0);
            }
            r.drawNonObject(m, x, y);
        }
    }

    static void drawGround(FrameRenderer r, double t) {
        if (!r.scene().scenario.effects().distractors()) {
            return;
        }
        Camera cam = r.camera();
        Mesh m = new Mesh();
        for (int i = 0; i < BAGS; i++) {
            double period = 30 + 13 * i;
            double phase = t / period + i * 0.61;
            long epoch = (long) Math.floor(phase);
            double local = (phase - epoch) * period;
            Rng rng = new Rng(Rng.hash(r.scene().seed, i, epoch, 0xBA6L));
            if (!rng.chance(0.5)) {
                continue;
            }
            double y = cam.y + rng.uniform(6, 45);
            double speed = rng.uniform(0.8, 2.5) * (rng.chance(0.5) ? 1 : -1);
            double x = -Math.signum(speed) * 25 + speed * local;
            double tumble = local * rng.uniform(3, 6);
            double z = 0.05 + 0.25 * Math.abs(Math.sin(tumble * 0.5));
            int color = rng.pick(java.util.List.of(0xEEEEEA, 0xD8D8D0, 0x8A6A3A, 0xA08050, 0x303030));
            double size = rng.uniform(0.12, 0.25);
            m.clear();
            Xform f = Xform.at(x, y + Math.sin(local) * 0.5, z, tumble).roll(Math.sin(tumble) * 0.9);
            double[] xyz = new double[6 * 3];
            for (int k = 0; k < 6; k++) {
                double a = 2 * Math.PI * k / 6;
                double rr = size * (0.7 + 0.3 * Math.sin(a * 3 + i));
                xyz[k * 3] = rr * Math.cos(a);
                xyz[k * 3 + 1] = rr * Math.sin(a);
                xyz[k * 3 + 2] = 0;
            }
            m.polygon(f, color, Mesh.DOUBLE_SIDED, xyz);
            r.drawNonObject(m, x, y);
        }
    }
}
