package io.strix.camsim.figure;

/** A dog: body, four legs trotting in diagonal pairs, neck, head with snout and ears, tail. */
public final class DogFigure {
    private DogFigure() {
    }

    public static void build(Mesh m, DogLook look, double x, double y, double heading, double phase, double stride,
                             double camX, double camY, double camZ) {
        double k = look.size();
        Xform f = Xform.at(x, y, 0, heading);
        int near = f.localX(camX - x, camY - y, camZ) > 0 ? 1 : -1;
        double legLen = 0.3 * k;
        double bodyLen = 0.58 * k;
        double bodyH = 0.24 * k;
        double bodyW = 0.2 * k;
        double bodyZ = legLen + bodyH / 2;
        double amp = Math.min(0.6, 0.45 * stride);
        for (int pass = 0; pass < 2; pass++) {
            int s = pass == 0 ? -near : near;
            m.layer(pass == 0 ? 0 : 2);
            for (int end = -1; end <= 1; end += 2) {
                double ph = phase + (end == s ? 0 : Math.PI);
                double a = amp * Math.sin(ph);
                double jy = end * bodyLen * 0.38;
                double jz = legLen + 0.03 * k;
                double fy = jy + legLen * Math.sin(a);
                double fz = jz - legLen * Math.cos(a);
                m.segment(f, s * bodyW * 0.32, jy, jz, s * bodyW * 0.32, fy, fz, 0.07 * k, 0.08 * k, look.coat(), 0);
            }
        }
        m.layer(1);
        m.box(f, 0, 0, bodyZ, bodyW, bodyLen, bodyH, look.coat(), look.coat(), look.coat(), 0);
        m.box(f, 0, 0, bodyZ - bodyH * 0.42, bodyW * 0.85, bodyLen * 0.7, bodyH * 0.2, look.belly(), 0);
        // Neck up to the head, head with snout.
        double ny = bodyLen / 2;
        double hz = bodyZ + bodyH * 0.75;
        m.segment(f, 0, ny - 0.05 * k, bodyZ, 0, ny + 0.06 * k, hz, 0.12 * k, 0.12 * k, look.coat(), 0);
        m.layer(3);
        m.box(f, 0, ny + 0.09 * k, hz, 0.15 * k, 0.17 * k, 0.14 * k, look.coat(), 0);
        m.box(f, 0, ny + 0.21 * k, hz - 0.03 * k, 0.08 * k, 0.12 * k, 0.07 * k, look.belly(), 0);
        m.box(f, 0, ny + 0.275 * k, hz - 0.01 * k, 0.035 * k, 0.02 * k, 0.03 * k, 0x111111, 0);
        for (int s = -1; s <= 1; s += 2) {
            if (look.floppyEars()) {
                m.box(f, s * 0.08 * k, ny + 0.08 * k, hz - 0.02 * k, 0.025 * k, 0.06 * k, 0.1 * k,
                        Palette.shade(look.coat(), 0.75), 0);
            } else {
                m.segment(f, s * 0.05 * k, ny + 0.07 * k, hz + 0.06 * k, s * 0.06 * k, ny + 0.07 * k, hz + 0.13 * k,
                        0.04 * k, 0.02 * k, look.coat(), 0);
            }
        }
        m.layer(1);
        double tailAngle = 0.9 + 0.2 * Math.sin(phase * 2);
        m.segment(f, 0, -bodyLen / 2, bodyZ + bodyH * 0.3, 0, -bodyLen / 2 - 0.2 * k * look.tail() * Math.cos(tailAngle),
                bodyZ + bodyH * 0.3 + 0.2 * k * look.tail() * Math.sin(tailAngle), 0.04 * k, 0.04 * k, look.coat(), 0);
        m.layer(0);
    }
}
