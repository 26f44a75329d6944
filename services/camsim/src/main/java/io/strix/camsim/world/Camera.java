package io.strix.camsim.world;

/**
 * A pinhole camera: where it hangs in the world (metres, z up, yaw 0 looking along +y, positive pitch looking down)
 * and the intrinsics for one image size. The horizontal field of view is fixed, so every image size sees the same
 * scene.
 */
public final class Camera {
    public final double x;
    public final double y;
    public final double z;
    public final double yaw;
    public final double pitch;
    public final double roll;
    public final double hfovDegrees;
    public final int width;
    public final int height;
    public final double focal;
    public final double cx;
    public final double cy;
    private final double rx;
    private final double ry;
    private final double rz;
    private final double ux;
    private final double uy;
    private final double uz;
    private final double fx;
    private final double fy;
    private final double fz;

    public Camera(double x, double y, double z, double yaw, double pitch, double roll, double hfovDegrees, int width,
                  int height) {
        this.x = x;
        this.y = y;
        this.z = z;
        this.yaw = yaw;
        this.pitch = pitch;
        this.roll = roll;
        this.hfovDegrees = hfovDegrees;
        this.width = width;
        this.height = height;
        this.focal = (width / 2.0) / Math.tan(Math.toRadians(hfovDegrees) / 2);
        this.cx = width / 2.0;
        this.cy = height / 2.0;
        double sy = Math.sin(yaw);
        double cyaw = Math.cos(yaw);
        double sp = Math.sin(pitch);
        double cp = Math.cos(pitch);
        double f0 = sy * cp;
        double f1 = cyaw * cp;
        double f2 = -sp;
        double r0 = cyaw;
        double r1 = -sy;
        double r2 = 0;
        // up = right x forward
        double u0 = r1 * f2 - r2 * f1;
        double u1 = r2 * f0 - r0 * f2;
        double u2 = r0 * f1 - r1 * f0;
        double cr = Math.cos(roll);
        double sr = Math.sin(roll);
        this.rx = r0 * cr + u0 * sr;
        this.ry = r1 * cr + u1 * sr;
        this.rz = r2 * cr + u2 * sr;
        this.ux = u0 * cr - r0 * sr;
        this.uy = u1 * cr - r1 * sr;
        this.uz = u2 * cr - r2 * sr;
        this.fx = f0;
        this.fy = f1;
        this.fz = f2;
    }

    public Camera resized(int newWidth, int newHeight) {
        return new Camera(x, y, z, yaw, pitch, roll, hfovDegrees, newWidth, newHeight);
    }

    /** Distance along the optical axis; positive in front of the camera. */
    public double depth(double px, double py, double pz) {
        return (px - x) * fx + (py - y) * fy + (pz - z) * fz;
    }

    /** Camera coordinates (right, up, forward) of a world point, written to out[off..off+2]. */
    public void toCamera(double px, double py, double pz, double[] out, int off) {
        double dx = px - x;
        double dy = py - y;
        double dz = pz - z;
        out[off] = dx * rx + dy * ry + dz * rz;
        out[off + 1] = dx * ux + dy * uy + dz * uz;
        out[off + 2] = dx * fx + dy * fy + dz * fz;
    }

    public double screenX(double xc, double zc) {
        return cx + focal * xc / zc;
    }

    public double screenY(double yc, double zc) {
        return cy - focal * yc / zc;
    }

    /** The world direction (not normalised) of the ray through image point (u, v). */
    public void ray(double u, double v, double[] dir) {
        double a = (u - cx) / focal;
        double b = (cy - v) / focal;
        dir[0] = fx + a * rx + b * ux;
        dir[1] = fy + a * ry + b * uy;
        dir[2] = fz + a * rz + b * uz;
    }

    /** Image row of the horizon at the image centre column (may lie outside the image). */
    public double horizonRow() {
        return cy - focal * Math.tan(pitch);
    }

    @Override
    public String toString() {
        return String.format("camera at (%.1f, %.1f) %.1f m high, yaw %.0f°, pitch %.0f°, hfov %.0f°", x, y, z,
                Math.toDegrees(yaw), Math.toDegrees(pitch), hfovDegrees);
    }
}
