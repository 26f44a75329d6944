package io.strix.camsim.figure;

import java.util.Arrays;

/**
 * The parts of one figure in world coordinates, ready to draw: flat polygons (with outward normals: vertices run
 * counter-clockwise seen from outside), spheres and thin tubes, each with a colour, flags and a layer. The renderer
 * draws layer by layer, each layer far to near; figures pick the layer order from where the camera is.
 */
public final class Mesh {
    /** Seen from both sides (flat cards, glass panes); otherwise drawn only from the front. */
    public static final int DOUBLE_SIDED = 1;
    /** Glows: drawn in its own colour whatever the light (lamps, lit screens). */
    public static final int EMISSIVE = 2;
    /** Drawn but not part of the object's pixels (a leash, a light beam). */
    public static final int NO_MASK = 4;
    /** Glass: dark, reflecting the sky. */
    public static final int GLASS = 8;
    /** Not lit by the sun (undersides, interiors). */
    public static final int SHADED = 16;
    /** Casts no shadow. */
    public static final int NO_SHADOW = 32;
    /** A light that only glows when lights are on (head and tail lights); otherwise the plain colour. */
    public static final int LAMP = 64;

    int polyCount;
    int[] polyStart = new int[64];
    int[] polyLength = new int[64];
    int[] polyColor = new int[64];
    int[] polyFlags = new int[64];
    int[] polyLayer = new int[64];
    int vertexCount;
    double[] vx = new double[256];
    double[] vy = new double[256];
    double[] vz = new double[256];

    int sphereCount;
    double[] sphere = new double[64];
    int[] sphereColor = new int[16];
    int[] sphereFlags = new int[16];
    int[] sphereLayer = new int[16];

    int tubeCount;
    double[] tube = new double[112];
    int[] tubeColor = new int[16];
    int[] tubeFlags = new int[16];
    int[] tubeLayer = new int[16];

    private int layer;
    private double minFeature;

    public void clear() {
        polyCount = 0;
        vertexCount = 0;
        sphereCount = 0;
        tubeCount = 0;
        layer = 0;
        minFeature = 0;
    }

    /**
     * Level of detail: parts smaller than this (metres; about a pixel at the object's distance) are left out, as a
     * camera would not resolve them anyway. 0 keeps everything.
     */
    public void minFeature(double metres) {
        this.minFeature = metres;
    }

    private boolean tooSmall(double size) {
        return size < minFeature;
    }

    /** Parts added from now on go to this layer; lower layers are drawn first. */
    public void layer(int layer) {
        this.layer = layer;
    }

    public int polygonCount() {
        return polyCount;
    }

    public int sphereCount() {
        return sphereCount;
    }

    public int tubeCount() {
        return tubeCount;
    }

    public boolean isEmpty() {
        return polyCount == 0 && sphereCount == 0 && tubeCount == 0;
    }

    private void beginPolygon(int color, int flags) {
        if (polyCount == polyStart.length) {
            int n = polyCount * 2;
            polyStart = Arrays.copyOf(polyStart, n);
            polyLength = Arrays.copyOf(polyLength, n);
            polyColor = Arrays.copyOf(polyColor, n);
            polyFlags = Arrays.copyOf(polyFlags, n);
            polyLayer = Arrays.copyOf(polyLayer, n);
        }
        polyStart[polyCount] = vertexCount;
        polyLength[polyCount] = 0;
        polyColor[polyCount] = color;
        polyFlags[polyCount] = flags;
        polyLayer[polyCount] = layer;
        polyCount++;
    }

    private void vertex(double x, double y, double z) {
        if (vertexCount == vx.length) {
            int n = vertexCount * 2;
            vx = Arrays.copyOf(vx, n);
            vy = Arrays.copyOf(vy, n);
            vz = Arrays.copyOf(vz, n);
        }
        vx[vertexCount] = x;
        vy[vertexCount] = y;
        vz[vertexCount] = z;
        vertexCount++;
        polyLength[polyCount - 1]++;
    }

    private void localVertex(Xform f, double x, double y, double z) {
        vertex(f.wx(x, y, z), f.wy(x, y, z), f.wz(x, y, z));
    }

    /** A flat polygon from local points (x0, y0, z0, x1, y1, z1, ...), counter-clockwise seen from its front. */
    public void polygon(Xform f, int color, int flags, double... xyz) {
        if (minFeature > 0) {
            double x0 = Double.MAX_VALUE;
            double x1 = -Double.MAX_VALUE;
            double y0 = Double.MAX_VALUE;
            double y1 = -Double.MAX_VALUE;
            double z0 = Double.MAX_VALUE;
            double z1 = -Double.MAX_VALUE;
            for (int i = 0; i + 2 < xyz.length; i += 3) {
                x0 = Math.min(x0, xyz[i]);
                x1 = Math.max(x1, xyz[i]);
                y0 = Math.min(y0, xyz[i + 1]);
                y1 = Math.max(y1, xyz[i + 1]);
                z0 = Math.min(z0, xyz[i + 2]);
                z1 = Math.max(z1, xyz[i + 2]);
            }
            if (tooSmall(Math.max(x1 - x0, Math.max(y1 - y0, z1 - z0)))) {
                return;
            }
        }
        beginPolygon(color, flags);
        for (int i = 0; i + 2 < xyz.length; i += 3) {
            localVertex(f, xyz[i], xyz[i + 1], xyz[i + 2]);
        }
    }

    /** A polygon in world coordinates. */
    public void worldPolygon(int color, int flags, double[] xs, double[] ys, double[] zs, int n) {
        beginPolygon(color, flags);
        for (int i = 0; i < n; i++) {
            vertex(xs[i], ys[i], zs[i]);
        }
    }

    /** An axis-aligned box in the local frame: centre and full sizes. */
    public void box(Xform f, double cx, double cy, double cz, double sx, double sy, double sz, int color, int flags) {
        box(f, cx, cy, cz, sx, sy, sz, color, color, color, flags);
    }

    /** A box whose top, sides and front/back faces can differ in colour. */
    public void box(Xform f, double cx, double cy, double cz, double sx, double sy, double sz, int top, int sides,
                    int ends, int flags) {
        if (tooSmall(Math.max(sx, Math.max(sy, sz)))) {
            return;
        }
        double x0 = cx - sx / 2;
        double x1 = cx + sx / 2;
        double y0 = cy - sy / 2;
        double y1 = cy + sy / 2;
        double z0 = cz - sz / 2;
        double z1 = cz + sz / 2;
        polygon(f, top, flags, x0, y0, z1, x1, y0, z1, x1, y1, z1, x0, y1, z1);
        polygon(f, sides, flags | SHADED, x0, y0, z0, x0, y1, z0, x1, y1, z0, x1, y0, z0);
        polygon(f, ends, flags, x0, y1, z0, x0, y1, z1, x1, y1, z1, x1, y1, z0);
        polygon(f, ends, flags, x0, y0, z0, x1, y0, z0, x1, y0, z1, x0, y0, z1);
        polygon(f, sides, flags, x1, y0, z0, x1, y1, z0, x1, y1, z1, x1, y0, z1);
        polygon(f, sides, flags, x0, y0, z0, x0, y0, z1, x0, y1, z1, x0, y1, z0);
    }

    /**
     * A profile in the local (y, z) plane, counter-clockwise seen from +x, extruded from x0 to x1. Strip i joins
     * profile points i and i+1 and takes stripColors[i]; stripFlags may mark glass strips.
     */
    public void prism(Xform f, double[] py, double[] pz, double x0, double x1, int sideColor, int[] stripColors,
                      int[] stripFlags, int flags) {
        int n = py.length;
        beginPolygon(sideColor, flags);
        for (int i = 0; i < n; i++) {
            localVertex(f, x1, py[i], pz[i]);
        }
        beginPolygon(sideColor, flags);
        for (int i = n - 1; i >= 0; i--) {
            localVertex(f, x0, py[i], pz[i]);
        }
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            int color = stripColors == null ? sideColor : stripColors[i];
            int extra = stripFlags == null ? 0 : stripFlags[i];
            polygon(f, color, flags | extra, x0, py[i], pz[i], x0, py[j], pz[j], x1, py[j], pz[j], x1, py[i], pz[i]);
        }
    }

    /** A cylinder along the local x axis (a wheel): centre, radius, width, with the given number of sides. */
    public void wheel(Xform f, double cx, double cy, double cz, double radius, double width, int sides, int tyre,
                      int hub, int flags) {
        if (tooSmall(radius * 2)) {
            return;
        }
        if (radius * 2 < minFeature * 6) {
            sides = Math.min(sides, 6);
        }
        double[] py = new double[sides];
        double[] pz = new double[sides];
        for (int i = 0; i < sides; i++) {
            double a = 2 * Math.PI * i / sides;
            py[i] = cy + radius * Math.cos(a);
            pz[i] = cz + radius * Math.sin(a);
        }
        prism(f, py, pz, cx - width / 2, cx + width / 2, tyre, null, null, flags);
        // Hub caps on both faces, a little outside so they win the depth sort.
        double hr = radius * 0.55;
        for (int s = -1; s <= 1; s += 2) {
            double x = cx + s * (width / 2 + 0.005);
            beginPolygon(hub, flags | DOUBLE_SIDED);
            for (int i = 0; i < 8; i++) {
                double a = 2 * Math.PI * (s > 0 ? i : 7 - i) / 8;
                localVertex(f, x, cy + hr * Math.cos(a), cz + hr * Math.sin(a));
            }
        }
    }

    /**
     * A box from local point a to local point b of the frame (a limb): width across the frame's x axis, depth
     * across the third direction.
     */
    public void segment(Xform f, double ax, double ay, double az, double bx, double by, double bz, double width,
                        double depth, int color, int flags) {
        double x0 = f.wx(ax, ay, az);
        double y0 = f.wy(ax, ay, az);
        double z0 = f.wz(ax, ay, az);
        double ux = f.wx(bx, by, bz) - x0;
        double uy = f.wy(bx, by, bz) - y0;
        double uz = f.wz(bx, by, bz) - z0;
        double len = Math.sqrt(ux * ux + uy * uy + uz * uz);
        if (len < 1e-6 || tooSmall(Math.max(len, Math.max(width, depth)))) {
            return;
        }
        ux /= len;
        uy /= len;
        uz /= len;
        // Side axis: the frame's x axis made perpendicular to the segment.
        double sx = f.wx(1, 0, 0) - f.ox();
        double sy = f.wy(1, 0, 0) - f.oy();
        double sz = f.wz(1, 0, 0) - f.oz();
        double dot = sx * ux + sy * uy + sz * uz;
        sx -= dot * ux;
        sy -= dot * uy;
        sz -= dot * uz;
        double sl = Math.sqrt(sx * sx + sy * sy + sz * sz);
        if (sl < 1e-6) {
            sx = 1;
            sy = 0;
            sz = 0;
            sl = 1;
        }
        Xform frame = Xform.basis(x0, y0, z0, sx / sl, sy / sl, sz / sl, ux, uy, uz);
        box(frame, 0, 0, len / 2, width, depth, len, color, flags);
    }

    /** A vertical cylinder (pole, trunk, bin): base centre, radius, height. */
    public void column(Xform f, double cx, double cy, double z0, double z1, double radius, int sides, int color,
                       int topColor, int flags) {
        if (tooSmall(Math.max(z1 - z0, radius * 2))) {
            return;
        }
        if (radius * 2 < minFeature * 4) {
            sides = Math.min(sides, 4);
        }
        double[] xs = new double[sides];
        double[] ys = new double[sides];
        for (int i = 0; i < sides; i++) {
            double a = 2 * Math.PI * i / sides;
            xs[i] = cx + radius * Math.cos(a);
            ys[i] = cy + radius * Math.sin(a);
        }
        for (int i = 0; i < sides; i++) {
            int j = (i + 1) % sides;
            polygon(f, color, flags, xs[i], ys[i], z0, xs[j], ys[j], z0, xs[j], ys[j], z1, xs[i], ys[i], z1);
        }
        beginPolygon(topColor, flags);
        for (int i = 0; i < sides; i++) {
            localVertex(f, xs[i], ys[i], z1);
        }
    }

    public void sphere(Xform f, double x, double y, double z, double radius, int color, int flags) {
        if (tooSmall(radius * 2)) {
            return;
        }
        if (sphereCount == sphereColor.length) {
            int n = sphereCount * 2;
            sphere = Arrays.copyOf(sphere, n * 4);
            sphereColor = Arrays.copyOf(sphereColor, n);
            sphereFlags = Arrays.copyOf(sphereFlags, n);
            sphereLayer = Arrays.copyOf(sphereLayer, n);
        }
        int i = sphereCount * 4;
        sphere[i] = f.wx(x, y, z);
        sphere[i + 1] = f.wy(x, y, z);
        sphere[i + 2] = f.wz(x, y, z);
        sphere[i + 3] = radius;
        sphereColor[sphereCount] = color;
        sphereFlags[sphereCount] = flags;
        sphereLayer[sphereCount] = layer;
        sphereCount++;
    }

    /** A thin rod between two local points, drawn at least one pixel wide. */
    public void tube(Xform f, double x0, double y0, double z0, double x1, double y1, double z1, double width,
                     int color, int flags) {
        if (minFeature > 0) {
            double dx = x1 - x0;
            double dy = y1 - y0;
            double dz = z1 - z0;
            if (tooSmall(Math.sqrt(dx * dx + dy * dy + dz * dz))) {
                return;
            }
        }
        if (tubeCount == tubeColor.length) {
            int n = tubeCount * 2;
            tube = Arrays.copyOf(tube, n * 7);
            tubeColor = Arrays.copyOf(tubeColor, n);
            tubeFlags = Arrays.copyOf(tubeFlags, n);
            tubeLayer = Arrays.copyOf(tubeLayer, n);
        }
        int i = tubeCount * 7;
        tube[i] = f.wx(x0, y0, z0);
        tube[i + 1] = f.wy(x0, y0, z0);
        tube[i + 2] = f.wz(x0, y0, z0);
        tube[i + 3] = f.wx(x1, y1, z1);
        tube[i + 4] = f.wy(x1, y1, z1);
        tube[i + 5] = f.wz(x1, y1, z1);
        tube[i + 6] = width;
        tubeColor[tubeCount] = color;
        tubeFlags[tubeCount] = flags;
        tubeLayer[tubeCount] = layer;
        tubeCount++;
    }

    /** Every point of the mesh, for bounds and shadows: calls the consumer with world x, y, z. */
    public void forEachPoint(PointConsumer consumer) {
        for (int i = 0; i < vertexCount; i++) {
            consumer.accept(vx[i], vy[i], vz[i]);
        }
        for (int i = 0; i < sphereCount; i++) {
            double r = sphere[i * 4 + 3];
            consumer.accept(sphere[i * 4], sphere[i * 4 + 1], sphere[i * 4 + 2] + r);
            consumer.accept(sphere[i * 4], sphere[i * 4 + 1], sphere[i * 4 + 2] - r);
            consumer.accept(sphere[i * 4] + r, sphere[i * 4 + 1], sphere[i * 4 + 2]);
            consumer.accept(sphere[i * 4] - r, sphere[i * 4 + 1], sphere[i * 4 + 2]);
            consumer.accept(sphere[i * 4], sphere[i * 4 + 1] + r, sphere[i * 4 + 2]);
            consumer.accept(sphere[i * 4], sphere[i * 4 + 1] - r, sphere[i * 4 + 2]);
        }
        for (int i = 0; i < tubeCount; i++) {
            consumer.accept(tube[i * 7], tube[i * 7 + 1], tube[i * 7 + 2]);
            consumer.accept(tube[i * 7 + 3], tube[i * 7 + 4], tube[i * 7 + 5]);
        }
    }

    /** Receives points. */
    @FunctionalInterface
    public interface PointConsumer {
        void accept(double x, double y, double z);
    }

    // Accessors for the renderer.
    public int polygonStart(int i) {
        return polyStart[i];
    }

    public int polygonLength(int i) {
        return polyLength[i];
    }

    public int polygonColor(int i) {
        return polyColor[i];
    }

    public int polygonFlags(int i) {
        return polyFlags[i];
    }

    public int polygonLayer(int i) {
        return polyLayer[i];
    }

    public double vx(int v) {
        return vx[v];
    }

    public double vy(int v) {
        return vy[v];
    }

    public double vz(int v) {
        return vz[v];
    }

    public double sphereX(int i) {
        return sphere[i * 4];
    }

    public double sphereY(int i) {
        return sphere[i * 4 + 1];
    }

    public double sphereZ(int i) {
        return sphere[i * 4 + 2];
    }

    public double sphereRadius(int i) {
        return sphere[i * 4 + 3];
    }

    public int sphereColor(int i) {
        return sphereColor[i];
    }

    public int sphereFlags(int i) {
        return sphereFlags[i];
    }

    public int sphereLayer(int i) {
        return sphereLayer[i];
    }

    public double tube(int i, int k) {
        return tube[i * 7 + k];
    }

    public int tubeColor(int i) {
        return tubeColor[i];
    }

    public int tubeFlags(int i) {
        return tubeFlags[i];
    }

    public int tubeLayer(int i) {
        return tubeLayer[i];
    }
}
