package io.strix.camsim.figure;

/**
 * A rigid placement of a part: local x to the right, y forward, z up, in metres. Figures chain these from the body
 * to the limbs (hip, then the leg swinging about it).
 */
public final class Xform {
    // Columns: right, forward, up, origin.
    private double m00;
    private double m01;
    private double m02;
    private double m03;
    private double m10;
    private double m11;
    private double m12;
    private double m13;
    private double m20;
    private double m21;
    private double m22;
    private double m23;

    private Xform() {
    }

    /** A frame standing at (x, y, z) and facing the heading (0 = +y, pi/2 = +x). */
    public static Xform at(double x, double y, double z, double heading) {
        Xform f = new Xform();
        double s = Math.sin(heading);
        double c = Math.cos(heading);
        f.m00 = c;
        f.m10 = -s;
        f.m20 = 0;
        f.m01 = s;
        f.m11 = c;
        f.m21 = 0;
        f.m02 = 0;
        f.m12 = 0;
        f.m22 = 1;
        f.m03 = x;
        f.m13 = y;
        f.m23 = z;
        return f;
    }

    /** A frame at the origin with the given orthonormal x and z axes (y = z cross x). */
    public static Xform basis(double ox, double oy, double oz, double xx, double xy, double xz, double zx, double zy,
                              double zz) {
        Xform f = new Xform();
        f.m00 = xx;
        f.m10 = xy;
        f.m20 = xz;
        f.m02 = zx;
        f.m12 = zy;
        f.m22 = zz;
        f.m01 = zy * xz - zz * xy;
        f.m11 = zz * xx - zx * xz;
        f.m21 = zx * xy - zy * xx;
        f.m03 = ox;
        f.m13 = oy;
        f.m23 = oz;
        return f;
    }

    public Xform copy() {
        Xform f = new Xform();
        f.m00 = m00;
        f.m01 = m01;
        f.m02 = m02;
        f.m03 = m03;
        f.m10 = m10;
        f.m11 = m11;
        f.m12 = m12;
        f.m13 = m13;
        f.m20 = m20;
        f.m21 = m21;
        f.m22 = m22;
        f.m23 = m23;
        return f;
    }

    /** Moves the origin by a local offset. */
    public Xform move(double x, double y, double z) {
        m03 += m00 * x + m01 * y + m02 * z;
        m13 += m10 * x + m11 * y + m12 * z;
        m23 += m20 * x + m21 * y + m22 * z;
        return this;
    }

    /** Rotates about the local x axis (positive tips forward y up towards z). */
    public Xform pitch(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        double n01 = m01 * c + m02 * s;
        double n11 = m11 * c + m12 * s;
        double n21 = m21 * c + m22 * s;
        double n02 = -m01 * s + m02 * c;
        double n12 = -m11 * s + m12 * c;
        double n22 = -m21 * s + m22 * c;
        m01 = n01;
        m11 = n11;
        m21 = n21;
        m02 = n02;
        m12 = n12;
        m22 = n22;
        return this;
    }

    /** Rotates about the local z axis (positive turns forward y towards -x, i.e. left). */
    public Xform yaw(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        double n00 = m00 * c + m01 * s;
        double n10 = m10 * c + m11 * s;
        double n20 = m20 * c + m21 * s;
        double n01 = -m00 * s + m01 * c;
        double n11 = -m10 * s + m11 * c;
        double n21 = -m20 * s + m21 * c;
        m00 = n00;
        m10 = n10;
        m20 = n20;
        m01 = n01;
        m11 = n11;
        m21 = n21;
        return this;
    }

    /** Rotates about the local y axis (positive tilts up z towards x, a lean to the right). */
    public Xform roll(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        double n02 = m02 * c + m00 * s;
        double n12 = m12 * c + m10 * s;
        double n22 = m22 * c + m20 * s;
        double n00 = -m02 * s + m00 * c;
        double n10 = -m12 * s + m10 * c;
        double n20 = -m22 * s + m20 * c;
        m02 = n02;
        m12 = n12;
        m22 = n22;
        m00 = n00;
        m10 = n10;
        m20 = n20;
        return this;
    }

    public double wx(double x, double y, double z) {
        return m00 * x + m01 * y + m02 * z + m03;
    }

    public double wy(double x, double y, double z) {
        return m10 * x + m11 * y + m12 * z + m13;
    }

    public double wz(double x, double y, double z) {
        return m20 * x + m21 * y + m22 * z + m23;
    }

    /** World coordinates of the origin. */
    public double ox() {
        return m03;
    }

    public double oy() {
        return m13;
    }

    public double oz() {
        return m23;
    }

    /** A world direction expressed in this frame's local axes (rotation only). */
    public double localX(double dx, double dy, double dz) {
        return m00 * dx + m10 * dy + m20 * dz;
    }

    public double localY(double dx, double dy, double dz) {
        return m01 * dx + m11 * dy + m21 * dz;
    }

    public double localZ(double dx, double dy, double dz) {
        return m02 * dx + m12 * dy + m22 * dz;
    }
}
