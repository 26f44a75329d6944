package io.strix.camsim.render;

import io.strix.camsim.figure.Mesh;
import io.strix.camsim.world.Camera;
import io.strix.camsim.world.Fast;
import io.strix.camsim.world.Lighting;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.Arrays;

/**
 * Projects, culls, shades and depth-sorts one {@link Mesh}, then draws it anti-aliased with Java2D and rasterises the
 * same outlines into a {@link MaskRaster}. Faces are sorted by layer, then far to near (painter's algorithm within a
 * figure; figures themselves are ordered by the frame renderer).
 */
public final class MeshPainter {
    private static final double NEAR = 0.3;
    private static final int POLY = 0;
    private static final int SPHERE = 1;
    /** How far each filled polygon is grown outwards, in pixels, to close anti-aliasing seams between faces. */
    private static final float GROW = 0.42f;

    private final Camera camera;
    private final SceneLight light;
    private final Lighting lighting;
    private final double[] clipX = new double[64];
    private final double[] clipY = new double[64];
    private final double[] clipZ = new double[64];
    private final double[] tmpX = new double[64];
    private final double[] tmpY = new double[64];
    private final double[] tmpZ = new double[64];
    private float[] px = new float[1024];
    private float[] py = new float[1024];
    private int points;
    private int items;
    private int[] itemType = new int[128];
    private int[] itemStart = new int[128];
    private int[] itemLength = new int[128];
    private int[] itemColor = new int[128];
    private int[] itemFlags = new int[128];
    private float[] itemRadius = new float[128];
    private long[] order = new long[128];
    private final Path2D.Float path = new Path2D.Float(Path2D.WIND_NON_ZERO, 16);
    private final Ellipse2D.Float ellipse = new Ellipse2D.Float();
    private final float[] lit = new float[3];
    private final double[] scratch = new double[3];
    private SceneLight.ObjectLight objectLight;

    /** Screen bounds of everything prepared, valid after {@link #prepare} returned true. */
    public float minX;
    public float minY;
    public float maxX;
    public float maxY;

    private final CameraEffects grade;

    public MeshPainter(Camera camera, SceneLight light) {
        this(camera, light, null);
    }

    MeshPainter(Camera camera, SceneLight light, CameraEffects grade) {
        this.camera = camera;
        this.light = light;
        this.lighting = light.lighting;
        this.grade = grade;
    }

    private int graded(int rgb, float x, float y) {
        return grade == null ? rgb : grade.grade(rgb, x, y);
    }

    public Camera camera() {
        return camera;
    }

    /**
     * Projects and shades a mesh lit as described; returns false when no part of it is in front of the camera.
     */
    public boolean prepare(Mesh mesh, SceneLight.ObjectLight objectLight) {
        this.objectLight = objectLight;
        items = 0;
        points = 0;
        minX = Float.MAX_VALUE;
        minY = Float.MAX_VALUE;
        maxX = -Float.MAX_VALUE;
        maxY = -Float.MAX_VALUE;
        int polys = mesh.polygonCount();
        for (int p = 0; p < polys; p++) {
            addPolygon(mesh, p);
        }
        double[] c = scratch;
        for (int s = 0; s < mesh.sphereCount(); s++) {
            camera.toCamera(mesh.sphereX(s), mesh.sphereY(s), mesh.sphereZ(s), c, 0);
            if (c[2] < NEAR + mesh.sphereRadius(s)) {
                continue;
            }
            float r = (float) (mesh.sphereRadius(s) * camera.focal / c[2]);
            float sx = (float) camera.screenX(c[0], c[2]);
            float sy = (float) camera.screenY(c[1], c[2]);
            int i = newItem(SPHERE, mesh.sphereLayer(s), c[2], graded(shadeRound(mesh.sphereColor(s),
                    mesh.sphereFlags(s), 0.55), sx, sy), mesh.sphereFlags(s));
            itemStart[i] = addPoint(sx, sy);
            itemRadius[i] = Math.max(r, 0.5f);
            bound(sx - r, sy - r);
            bound(sx + r, sy + r);
        }
        for (int t = 0; t < mesh.tubeCount(); t++) {
            addTube(mesh, t, c);
        }
        if (items == 0) {
            return false;
        }
        Arrays.sort(order, 0, items);
        return true;
    }

    private void addPolygon(Mesh mesh, int p) {
        int start = mesh.polygonStart(p);
        int n = mesh.polygonLength(p);
        int flags = mesh.polygonFlags(p);
        // Newell normal in world space.
        double nx = 0;
        double ny = 0;
        double nz = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = mesh.vx(start + i);
            double yi = mesh.vy(start + i);
            double zi = mesh.vz(start + i);
            double xj = mesh.vx(start + j);
            double yj = mesh.vy(start + j);
            double zj = mesh.vz(start + j);
            nx += (yj - yi) * (zj + zi);
            ny += (zj - zi) * (xj + xi);
            nz += (xj - xi) * (yj + yi);
        }
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (len < 1e-12) {
            return;
        }
        nx /= len;
        ny /= len;
        nz /= len;
        double toFace = (mesh.vx(start) - camera.x) * nx + (mesh.vy(start) - camera.y) * ny
                + (mesh.vz(start) - camera.z) * nz;
        if (toFace >= 0) {
            if ((flags & Mesh.DOUBLE_SIDED) == 0) {
                return;
            }
            nx = -nx;
            ny = -ny;
            nz = -nz;
        }
        int m = 0;
        boolean behind = false;
        double[] c = scratch;
        for (int i = 0; i < n; i++) {
            camera.toCamera(mesh.vx(start + i), mesh.vy(start + i), mesh.vz(start + i), c, 0);
            clipX[m] = c[0];
            clipY[m] = c[1];
            clipZ[m] = c[2];
            behind |= c[2] < NEAR;
            m++;
        }
        if (behind) {
            m = clipNear(m);
            if (m < 3) {
                return;
            }
        }
        double depth = 0;
        int first = points;
        for (int i = 0; i < m; i++) {
            float sx = (float) camera.screenX(clipX[i], clipZ[i]);
            float sy = (float) camera.screenY(clipY[i], clipZ[i]);
            addPoint(sx, sy);
            bound(sx, sy);
            depth += clipZ[i];
        }
        int i = newItem(POLY, mesh.polygonLayer(p), depth / m, graded(shadeFace(mesh.polygonColor(p), flags, nx, ny,
                nz), px[first], py[first]), flags);
        itemStart[i] = first;
        itemLength[i] = m;
    }

    private void addTube(Mesh mesh, int t, double[] c) {
        camera.toCamera(mesh.tube(t, 0), mesh.tube(t, 1), mesh.tube(t, 2), c, 0);
        double ax = c[0];
        double ay = c[1];
        double az = c[2];
        camera.toCamera(mesh.tube(t, 3), mesh.tube(t, 4), mesh.tube(t, 5), c, 0);
        double bx = c[0];
        double by = c[1];
        double bz = c[2];
        if (az < NEAR && bz < NEAR) {
            return;
        }
        if (az < NEAR || bz < NEAR) {
            double k = (NEAR - az) / (bz - az);
            double ix = ax + (bx - ax) * k;
            double iy = ay + (by - ay) * k;
            if (az < NEAR) {
                ax = ix;
                ay = iy;
                az = NEAR;
            } else {
                bx = ix;
                by = iy;
                bz = NEAR;
            }
        }
        float x0 = (float) camera.screenX(ax, az);
        float y0 = (float) camera.screenY(ay, az);
        float x1 = (float) camera.screenX(bx, bz);
        float y1 = (float) camera.screenY(by, bz);
        double w0 = Math.max(1.0, mesh.tube(t, 6) * camera.focal / az) / 2;
        double w1 = Math.max(1.0, mesh.tube(t, 6) * camera.focal / bz) / 2;
        double dx = x1 - x0;
        double dy = y1 - y0;
        double len = Fast.hypot(dx, dy);
        if (len < 1e-6) {
            dx = 0;
            dy = 1;
            len = 1;
        }
        float nx = (float) (-dy / len);
        float ny = (float) (dx / len);
        int flags = mesh.tubeFlags(t);
        int first = points;
        addPoint(x0 + nx * (float) w0, y0 + ny * (float) w0);
        addPoint(x1 + nx * (float) w1, y1 + ny * (float) w1);
        addPoint(x1 - nx * (float) w1, y1 - ny * (float) w1);
        addPoint(x0 - nx * (float) w0, y0 - ny * (float) w0);
        for (int k = first; k < points; k++) {
            bound(px[k], py[k]);
        }
        int i = newItem(POLY, mesh.tubeLayer(t), (az + bz) / 2, graded(shadeRound(mesh.tubeColor(t), flags, 0.45), x0,
                y0), flags | TUBE);
        itemStart[i] = first;
        itemLength[i] = 4;
    }

    private static final int TUBE = 1 << 20;

    /** Sutherland-Hodgman clip of clipX/Y/Z (m points) against z >= NEAR. */
    private int clipNear(int m) {
        int k = 0;
        for (int i = 0; i < m; i++) {
            int j = (i + 1) % m;
            boolean inI = clipZ[i] >= NEAR;
            boolean inJ = clipZ[j] >= NEAR;
            if (inI) {
                tmpX[k] = clipX[i];
                tmpY[k] = clipY[i];
                tmpZ[k] = clipZ[i];
                k++;
            }
            if (inI != inJ) {
                double t = (NEAR - clipZ[i]) / (clipZ[j] - clipZ[i]);
                tmpX[k] = clipX[i] + (clipX[j] - clipX[i]) * t;
                tmpY[k] = clipY[i] + (clipY[j] - clipY[i]) * t;
                tmpZ[k] = NEAR;
                k++;
            }
        }
        System.arraycopy(tmpX, 0, clipX, 0, k);
        System.arraycopy(tmpY, 0, clipY, 0, k);
        System.arraycopy(tmpZ, 0, clipZ, 0, k);
        return k;
    }

    private int addPoint(float x, float y) {
        if (points == px.length) {
            px = Arrays.copyOf(px, points * 2);
            py = Arrays.copyOf(py, points * 2);
        }
        px[points] = x;
        py[points] = y;
        return points++;
    }

    private void bound(float x, float y) {
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
    }

    private int newItem(int type, int layer, double depth, int color, int flags) {
        if (items == itemType.length) {
            int n = items * 2;
            itemType = Arrays.copyOf(itemType, n);
            itemStart = Arrays.copyOf(itemStart, n);
            itemLength = Arrays.copyOf(itemLength, n);
            itemColor = Arrays.copyOf(itemColor, n);
            itemFlags = Arrays.copyOf(itemFlags, n);
            itemRadius = Arrays.copyOf(itemRadius, n);
            order = Arrays.copyOf(order, n);
        }
        int i = items++;
        itemType[i] = type;
        itemColor[i] = color;
        itemFlags[i] = flags;
        long far = 0xFFFFFFFFL - Math.min(0xFFFFFFFFL, Math.max(0, (long) (depth * 1000)));
        order[i] = ((long) (layer & 0xFF) << 56) | (far << 20) | i;
        return i;
    }

    private int shadeFace(int rgb, int flags, double nx, double ny, double nz) {
        if ((flags & Mesh.EMISSIVE) != 0 || ((flags & Mesh.LAMP) != 0 && objectLight.lightsOn)) {
            return glow(rgb);
        }
        double sunCos = (flags & Mesh.SHADED) != 0 ? 0
                : Math.max(0, nx * lighting.sunX + ny * lighting.sunY + nz * lighting.sunZ) * objectLight.sunVisible;
        double sky = ((flags & Mesh.SHADED) != 0 ? 0.55 : 0.72) + 0.28 * nz;
        return finish(rgb, flags, sky, sunCos, nz);
    }

    private int shadeRound(int rgb, int flags, double sunShare) {
        if ((flags & Mesh.EMISSIVE) != 0 || ((flags & Mesh.LAMP) != 0 && objectLight.lightsOn)) {
            return glow(rgb);
        }
        return finish(rgb, flags, 0.85, sunShare * objectLight.sunVisible, 0.5);
    }

    private int finish(int rgb, int flags, double sky, double sunCos, double nz) {
        float[] amb = lighting.ambient;
        float[] sun = lighting.sun;
        float[] lamp = objectLight.lamp;
        for (int k = 0; k < 3; k++) {
            lit[k] = (float) (amb[k] * sky + sun[k] * sunCos + lamp[k]);
        }
        double r = ((rgb >> 16) & 255) / 255.0 * lit[0];
        double g = ((rgb >> 8) & 255) / 255.0 * lit[1];
        double b = (rgb & 255) / 255.0 * lit[2];
        if ((flags & Mesh.GLASS) != 0) {
            // Glass shows a dim interior plus the sky it reflects, more so at grazing angles.
            double reflect = 0.12 + 0.22 * (1 - Math.abs(nz));
            float[] skyC = nz > 0.3 ? lighting.skyZenith : lighting.skyHorizon;
            r = r * 0.5 + skyC[0] * reflect;
            g = g * 0.5 + skyC[1] * reflect;
            b = b * 0.5 + skyC[2] * reflect;
        }
        return fogged(r, g, b);
    }

    private int glow(int rgb) {
        double r = ((rgb >> 16) & 255) / 255.0;
        double g = ((rgb >> 8) & 255) / 255.0;
        double b = (rgb & 255) / 255.0;
        return fogged(r, g, b);
    }

    private int fogged(double r, double g, double b) {
        float f = objectLight.fog;
        float[] fog = lighting.fog;
        r = r + (fog[0] - r) * f;
        g = g + (fog[1] - g) * f;
        b = b + (fog[2] - b) * f;
        return (to8(r) << 16) | (to8(g) << 8) | to8(b);
    }

    static int to8(double v) {
        int i = (int) (v * 255 + 0.5);
        return i < 0 ? 0 : (i > 255 ? 255 : i);
    }

    /** Draws the prepared items, shifted by (-offsetX, -offsetY) (for sprites). */
    public void draw(Graphics2D g, float offsetX, float offsetY) {
        int lastColor = -1;
        for (int k = 0; k < items; k++) {
            int i = (int) (order[k] & 0xFFFFF);
            int color = itemColor[i];
            if (color != lastColor) {
                g.setColor(new Color(color));
                lastColor = color;
            }
            if (itemType[i] == SPHERE) {
                float r = itemRadius[i];
                int s = itemStart[i];
                ellipse.setFrame(px[s] - r - offsetX, py[s] - r - offsetY, 2 * r, 2 * r);
                g.fill(ellipse);
                continue;
            }
            int s = itemStart[i];
            int n = itemLength[i];
            float grow = (itemFlags[i] & TUBE) != 0 ? 0.1f : GROW;
            float cx = 0;
            float cy = 0;
            for (int v = s; v < s + n; v++) {
                cx += px[v];
                cy += py[v];
            }
            cx /= n;
            cy /= n;
            path.reset();
            for (int v = s; v < s + n; v++) {
                float dx = px[v] - cx;
                float dy = py[v] - cy;
                float d = (float) Math.sqrt(dx * dx + dy * dy);
                float k2 = d > 1e-3f ? grow / d : 0;
                float x = px[v] + dx * k2 - offsetX;
                float y = py[v] + dy * k2 - offsetY;
                if (v == s) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            path.closePath();
            g.fill(path);
        }
    }

    /** Rasterises the prepared items that belong to the object into the mask (after {@link MaskRaster#begin}). */
    public void rasterize(MaskRaster mask, float offsetX, float offsetY) {
        float[] xs = offsetX == 0 && offsetY == 0 ? px : shifted(px, offsetX);
        float[] ys = offsetX == 0 && offsetY == 0 ? py : shifted(py, offsetY);
        for (int k = 0; k < items; k++) {
            int i = (int) (order[k] & 0xFFFFF);
            if ((itemFlags[i] & Mesh.NO_MASK) != 0) {
                continue;
            }
            if (itemType[i] == SPHERE) {
                mask.circle(xs[itemStart[i]], ys[itemStart[i]], itemRadius[i]);
            } else {
                mask.polygon(xs, ys, itemStart[i], itemLength[i]);
            }
        }
    }

    private float[] shifted(float[] values, float offset) {
        float[] out = new float[points];
        for (int i = 0; i < points; i++) {
            out[i] = values[i] - offset;
        }
        return out;
    }
}
