package io.strix.camsim.render;

import io.strix.camsim.world.Camera;
import io.strix.camsim.world.FacadePlane;
import io.strix.camsim.world.FacadeStyle;
import io.strix.camsim.world.Fast;
import io.strix.camsim.world.Layout;
import io.strix.camsim.world.Lighting;
import io.strix.camsim.world.Noise;
import io.strix.camsim.world.Weather;

/**
 * Ray-casts the static scene: the ground (asphalt, markings, curbs, verges, sidewalks, parking lot), the building
 * fronts (walls, windows, shop fronts, lit windows at night) and their roofs, a distant skyline and the sky, with sun,
 * building shadows, street lamps, wet surfaces and fog. Textures are box-filtered analytically to the footprint of a
 * pixel, and each pixel averages the rays through its four corners, so the picture neither aliases nor crawls.
 */
final class BackgroundPainter {
    private final Layout layout;
    private final Lighting lighting;
    private final SceneLight light;
    private final Camera camera;
    private final double pixelAngle;
    private final boolean wet;
    private final int seed;
    private final float[] albedo = new float[3];
    private final float[] emit = new float[3];
    private final float[] lamp = new float[3];
    private final double[] dir = new double[3];
    private final FacadePlane[] planes;
    private final float[] asphalt;
    private final float[] sidewalk;
    private final float[] grass;
    private final float[] bikeTint;
    /** Reflectivity of the surface shaded last (wet ground). */
    private double reflect;

    BackgroundPainter(Layout layout, SceneLight light, Camera camera, long seed) {
        this.layout = layout;
        this.lighting = light.lighting;
        this.light = light;
        this.camera = camera;
        this.pixelAngle = 1.0 / camera.focal;
        this.wet = lighting.weather == Weather.RAIN;
        this.seed = (int) seed;
        this.planes = layout.facades.toArray(new FacadePlane[0]);
        this.asphalt = rgb(layout.asphalt);
        this.sidewalk = rgb(layout.sidewalk);
        this.grass = rgb(layout.grass);
        this.bikeTint = (seed & 1) == 0 ? new float[]{0.35f, 0.55f, 0.35f} : new float[]{0.6f, 0.3f, 0.28f};
    }

    static float[] rgb(int c) {
        return new float[]{((c >> 16) & 255) / 255f, ((c >> 8) & 255) / 255f, (c & 255) / 255f};
    }

    /** The background as packed RGB pixels. */
    int[] paint() {
        int w = camera.width;
        int h = camera.height;
        int gw = w + 1;
        float[] grid = new float[gw * (h + 1) * 3];
        float[] out = new float[3];
        for (int v = 0; v <= h; v++) {
            for (int u = 0; u <= w; u++) {
                camera.ray(u, v, dir);
                shade(out);
                int i = (v * gw + u) * 3;
                grid[i] = out[0];
                grid[i + 1] = out[1];
                grid[i + 2] = out[2];
            }
        }
        int[] pixels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = (y * gw + x) * 3;
                int b = a + 3;
                int c = a + gw * 3;
                int d = c + 3;
                int r = MeshPainter.to8((grid[a] + grid[b] + grid[c] + grid[d]) / 4);
                int g = MeshPainter.to8((grid[a + 1] + grid[b + 1] + grid[c + 1] + grid[d + 1]) / 4);
                int bl = MeshPainter.to8((grid[a + 2] + grid[b + 2] + grid[c + 2] + grid[d + 2]) / 4);
                pixels[y * w + x] = (r << 16) | (g << 8) | bl;
            }
        }
        return pixels;
    }

    private void shade(float[] out) {
        double len = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
        double dx = dir[0] / len;
        double dy = dir[1] / len;
        double dz = dir[2] / len;
        double ox = camera.x;
        double oy = camera.y;
        double oz = camera.z;
        double best = dz < -1e-9 ? -oz / dz : Double.POSITIVE_INFINITY;
        FacadePlane hit = null;
        boolean roof = false;
        for (FacadePlane plane : planes) {
            double t = plane.intersect(ox, oy, oz, dx, dy, dz, best);
            if (!Double.isNaN(t)) {
                best = t;
                hit = plane;
                roof = false;
            }
            double tr = plane.roof(ox, oy, oz, dx, dy, dz, best);
            if (!Double.isNaN(tr)) {
                best = tr;
                hit = plane;
                roof = true;
            }
        }
        double t = best;
        if (Double.isInfinite(t)) {
            sky(dx, dy, dz, out);
            return;
        }
        double x = ox + dx * t;
        double y = oy + dy * t;
        double z = oz + dz * t;
        double foot = t * pixelAngle;
        emit[0] = 0;
        emit[1] = 0;
        emit[2] = 0;
        reflect = 0;
        double nx;
        double ny;
        double nz;
        double sky;
        if (hit != null && !roof) {
            nx = hit.alongY ? hit.facing : 0;
            ny = hit.alongY ? 0 : hit.facing;
            nz = 0;
            double across = Math.max(0.12, Math.abs(hit.alongY ? dx : dy));
            double along = Math.abs(hit.alongY ? dy : dx);
            double s = hit.alongY ? y : x;
            int b = hit.buildingAt(s);
            facade(hit, b, s, z, foot * (1 + along / across), foot * (1 + Math.abs(dz) / across));
            sky = 0.62;
        } else if (roof) {
            nx = 0;
            ny = 0;
            nz = 1;
            double n = Noise.fbm(x * 0.3, y * 0.3, 3, foot * 0.3, seed + 7);
            float grey = (float) (0.30 + 0.15 * n);
            albedo[0] = grey;
            albedo[1] = grey;
            albedo[2] = grey * 0.97f;
            sky = 1.0;
        } else {
            nx = 0;
            ny = 0;
            nz = 1;
            double grazing = Math.max(0.03, -dz);
            double hx = dx;
            double hy = dy;
            double hl = Math.max(1e-6, Fast.hypot(hx, hy));
            hx = Math.abs(hx / hl);
            hy = Math.abs(hy / hl);
            double alongFoot = foot / grazing;
            double fx = hx * alongFoot + hy * foot;
            double fy = hy * alongFoot + hx * foot;
            ground(x, y, fx, fy);
            sky = 1.0;
        }
        double sunCos = Math.max(0, nx * lighting.sunX + ny * lighting.sunY + nz * lighting.sunZ);
        double sunVis = sunCos > 0 ? light.sunVisible(x + nx * 0.05, y + ny * 0.05, z + 0.02) : 0;
        lamp[0] = 0;
        lamp[1] = 0;
        lamp[2] = 0;
        light.lamps(x, y, z, nx, ny, nz, lamp);
        float[] amb = lighting.ambient;
        float[] sun = lighting.sun;
        double r = albedo[0] * (amb[0] * sky + sun[0] * sunCos * sunVis + lamp[0]) + emit[0];
        double g = albedo[1] * (amb[1] * sky + sun[1] * sunCos * sunVis + lamp[1]) + emit[1];
        double bl = albedo[2] * (amb[2] * sky + sun[2] * sunCos * sunVis + lamp[2]) + emit[2];
        if (reflect > 0) {
            // Wet ground mirrors the sky (and, faintly, the lamps), more at grazing angles.
            double fresnel = reflect * (0.25 + 0.75 * Math.pow(1 - Math.min(1, -dz), 4));
            float[] mirror = lighting.skyHorizon;
            r = r * (1 - fresnel * 0.5) + mirror[0] * fresnel + lamp[0] * 0.15 * reflect;
            g = g * (1 - fresnel * 0.5) + mirror[1] * fresnel + lamp[1] * 0.15 * reflect;
            bl = bl * (1 - fresnel * 0.5) + mirror[2] * fresnel + lamp[2] * 0.15 * reflect;
        }
        double f = light.fog(t);
        float[] fog = lighting.fog;
        out[0] = (float) (r + (fog[0] - r) * f);
        out[1] = (float) (g + (fog[1] - g) * f);
        out[2] = (float) (bl + (fog[2] - bl) * f);
    }

    private void sky(double dx, double dy, double dz, float[] out) {
        double h = Fast.hypot(dx, dy);
        double elevation = Math.atan2(dz, h);
        double azimuth = Math.atan2(dx, dy);
        // A distant skyline of the rest of the city, hazy.
        int block = (int) Math.floor(azimuth * 70);
        double skyline = Noise.lattice(block, seed + 3);
        double top = skyline < 0.3 ? -1 : 0.004 + 0.05 * skyline * skyline;
        float[] zen = lighting.skyZenith;
        float[] hor = lighting.skyHorizon;
        if (elevation < top) {
            double haze = 0.72 + 0.2 * lighting.darkness;
            float[] fog = lighting.fog;
            double base = 0.45 + 0.1 * Noise.lattice(block, seed + 4);
            for (int k = 0; k < 3; k++) {
                double c = base * (lighting.ambient[k] * 0.9 + lighting.sun[k] * 0.3);
                out[k] = (float) (c + (fog[k] - c) * haze);
            }
            if (lighting.darkness > 0.5 && Noise.lattice((int) (azimuth * 900), (int) (elevation * 900), seed) > 0.93) {
                out[0] += 0.35f;
                out[1] += 0.28f;
                out[2] += 0.15f;
            }
            return;
        }
        double t = Math.pow(Noise.clamp01(elevation / 0.9), 0.55);
        double r = hor[0] + (zen[0] - hor[0]) * t;
        double g = hor[1] + (zen[1] - hor[1]) * t;
        double b = hor[2] + (zen[2] - hor[2]) * t;
        if (dz > 0.01) {
            double k = 1.0 / (dz + 0.05);
            double cloud = Noise.fbm(dx * k * 1.3 + 50, dy * k * 1.3, 5, 0.02 * k, seed + 11);
            double cover = lighting.cloudCover;
            double density = Noise.smoothstep(0.62 - 0.35 * cover, 0.8 - 0.2 * cover, cloud);
            double bright = (1 - lighting.darkness) * (0.75 + 0.25 * (1 - cover)) + 0.08;
            double shadeC = bright * (0.8 + 0.25 * (cloud - 0.5));
            r += (shadeC - r) * density;
            g += (shadeC - g) * density;
            b += (shadeC * 1.03 - b) * density;
        }
        double sunCos = dx * lighting.sunX + dy * lighting.sunY + dz * lighting.sunZ;
        double s = lighting.sunStrength();
        if (s > 0.05 && sunCos > 0.9) {
            double glow = Math.pow((sunCos - 0.9) / 0.1, 6) * 0.5 * s + (sunCos > 0.9995 ? 1.5 * s : 0);
            r += glow * lighting.sun[0];
            g += glow * lighting.sun[1];
            b += glow * lighting.sun[2];
        }
        out[0] = (float) r;
        out[1] = (float) g;
        out[2] = (float) b;
    }

    // ---- building fronts ----

    private void facade(FacadePlane plane, int building, double s, double z, double fs, double fz) {
        FacadeStyle st = plane.style(building);
        double a = plane.start(building);
        double b = plane.end(building);
        double top = plane.height(building);
        float[] wall = rgb(st.wall());
        double weather = 0.88 + 0.2 * Noise.fbm(s * 0.35, z * 0.35, 3, fs * 0.35, st.seed())
                - 0.06 * Noise.value(s * 2.5, 0.3, st.seed() + 1) * Noise.smoothstep(top - 3, top, z);
        set(albedo, wall, weather);
        // Corner edges darker, cornice at the top.
        double edge = Math.max(Noise.band(s, a, a + 0.25, fs), Noise.band(s, b - 0.25, b, fs));
        double cornice = Noise.band(z, top - 0.55, top, fz);
        float[] trim = rgb(st.trim());
        mixInto(albedo, trim, Math.max(cornice, 0.5 * edge));
        double gf = st.groundFloorHeight();
        if (z < gf) {
            if (st.shops()) {
                shopFront(st, a, b, s, z, fs, fz);
            } else {
                windows(st, a, b, s, z, fs, fz, 0, -1);
                double door = Noise.band(s, (a + b) / 2 - 0.6, (a + b) / 2 + 0.6, fs) * Noise.band(z, 0, 2.3, fz);
                mixInto(albedo, new float[]{0.28f, 0.2f, 0.14f}, door);
            }
            // A plinth along the foot of the wall.
            mixInto(albedo, new float[]{0.3f, 0.3f, 0.3f}, Noise.band(z, 0, 0.35, fz) * 0.6);
        } else {
            int floor = (int) ((z - gf) / st.floorHeight());
            double zl = z - gf - floor * st.floorHeight();
            windows(st, a, b, s, zl, fs, fz, floor + 1, building);
            // A slab line between floors.
            mixInto(albedo, trim, 0.5 * Noise.band(zl, 0, 0.18, fz));
        }
    }

    private void windows(FacadeStyle st, double a, double b, double s, double zl, double fs, double fz, int floor,
                         int building) {
        double period = st.windowPeriod();
        double u = s - a - st.windowOffset() % period;
        double inside = Noise.band(s, a + 0.7, b - 0.7, fs);
        double sill = Math.min(0.95, st.floorHeight() - st.windowHeight() - 0.3);
        double wx = Noise.stripes(u, period, st.windowWidth(), fs);
        double wz = Noise.band(zl, sill, sill + st.windowHeight(), fz);
        double frameX = Noise.stripes(u + 0.09, period, st.windowWidth() + 0.18, fs);
        double frameZ = Noise.band(zl, sill - 0.09, sill + st.windowHeight() + 0.09, fz);
        double frame = Math.max(0, frameX * frameZ - wx * wz) * inside;
        double glass = wx * wz * inside;
        if (frame + glass <= 0) {
            return;
        }
        mixInto(albedo, rgb(st.frame()), frame);
        int column = (int) Math.floor(u / period);
        double h = Noise.lattice(column, floor * 131 + building, st.seed());
        float[] g = rgb(st.glass());
        // Sky reflected in the upper part of the pane; some windows have light curtains.
        double upper = Noise.clamp01((zl - sill) / st.windowHeight());
        float[] pane = {g[0] + 0.12f * (float) upper, g[1] + 0.14f * (float) upper, g[2] + 0.17f * (float) upper};
        if (h < 0.25) {
            pane = new float[]{0.62f, 0.58f, 0.5f};
        }
        mixInto(albedo, pane, glass);
        if (lighting.darkness > 0.3 && Noise.lattice(column + 7, floor * 17 + building, st.seed() + 5) < st.litFraction()) {
            double k = glass * lighting.darkness * (0.55 + 0.3 * h);
            emit[0] += (float) (1.0 * k);
            emit[1] += (float) (0.78 * k);
            emit[2] += (float) (0.45 * k);
        }
    }

    private void shopFront(FacadeStyle st, double a, double b, double s, double z, double fs, double fz) {
        double bay = st.shopBay();
        double gf = st.groundFloorHeight();
        double u = s - a;
        int index = (int) Math.floor(u / bay);
        double local = u - index * bay;
        double inside = Noise.band(s, a + 0.4, b - 0.4, fs);
        double pillar = 1 - Noise.band(local, 0.35, bay - 0.35, fs);
        double signBand = Noise.band(z, gf - 1.0, gf - 0.25, fz) * inside;
        float[] sign = rgb(st.sign());
        double glassZ = Noise.band(z, 0.45, gf - 1.15, fz);
        double glass = (1 - pillar) * glassZ * inside;
        boolean hasDoor = Noise.lattice(index, 3, st.seed()) < 0.5;
        double door = hasDoor ? Noise.band(local, bay / 2 - 0.6, bay / 2 + 0.6, fs) * Noise.band(z, 0, 2.3, fz) * inside
                : 0;
        float[] interior = {0.16f, 0.16f, 0.17f};
        double hv = Noise.lattice(index, 9, st.seed());
        interior[0] += 0.1f * (float) hv;
        interior[1] += 0.08f * (float) hv;
        mixInto(albedo, interior, glass);
        mixInto(albedo, new float[]{0.12f, 0.12f, 0.13f}, door);
        mixInto(albedo, sign, signBand);
        if (lighting.darkness > 0.2 && hv > 0.25) {
            // Lit shop windows: brighter at the top (ceiling lights), some shops brighter than others.
            double top = Noise.clamp01((z - 0.45) / Math.max(0.5, gf - 1.6));
            double k = (glass * (0.3 + 0.35 * top) * (0.6 + 0.6 * hv) + signBand * 0.45) * lighting.darkness;
            emit[0] += (float) (0.95 * k);
            emit[1] += (float) (0.82 * k);
            emit[2] += (float) (0.6 * k);
        }
    }

    // ---- ground ----

    private void ground(double x, double y, double fx, double fy) {
        Layout l = layout;
        int side = x < 0 ? 0 : 1;
        double ax = Math.abs(x);
        double dyc = l.hasCross() ? Math.abs(y - l.yCross) : Double.POSITIVE_INFINITY;
        double fp = Math.max(fx, fy);
        if (l.lot != null && l.lot.contains(x, y)) {
            lot(x, y, fx, fy, fp);
            return;
        }
        if (ax < l.roadEdge[side]) {
            road(x, y, ax, side, dyc, fx, fy, fp);
            return;
        }
        if (dyc < l.crossHalf) {
            crossRoad(x, y, ax, side, dyc, fx, fy, fp);
            return;
        }
        if (l.lot != null && side == 1 && Math.abs(y - l.lot.yDrive()) < l.lot.driveWidth() / 2
                && ax < l.walkOuter[1] + 0.1) {
            asphaltTexture(x, y, fp, 1.06);
            return;
        }
        if (dyc < l.crossHalf + Layout.CURB) {
            curb(x, y, fp);
            return;
        }
        if (dyc < l.crossHalf + Layout.CURB + l.crossWalk) {
            sidewalkTexture(x, y - l.yCross, ax, fx, fy, fp, 1.0);
            return;
        }
        if (ax < l.roadEdge[side] + Layout.CURB) {
            curb(x, y, fp);
            return;
        }
        if (ax < l.walkInner[side]) {
            grassTexture(x, y, fp);
            return;
        }
        if (ax < l.walkOuter[side]) {
            sidewalkTexture(x, y, ax - l.walkInner[side], fx, fy, fp, 1.0);
            return;
        }
        if (ax < l.facade[side] && ((int) (l.seed >>> (8 + side)) & 1) == 0) {
            grassTexture(x, y, fp);
            return;
        }
        sidewalkTexture(x, y, ax - l.walkOuter[side], fx, fy, fp, 0.92);
    }

    private void asphaltTexture(double x, double y, double fp, double tone) {
        double large = Noise.fbm(x * 0.12, y * 0.12, 3, fp * 0.12, seed + 21);
        double grain = Noise.fbm(x * 3.0, y * 3.0, 2, fp * 3.0, seed + 22);
        double patch = Noise.value(x * 0.05 + 17.3, y * 0.05, seed + 23);
        double k = tone * (0.8 + 0.4 * large) * (0.93 + 0.14 * grain);
        k *= 1 - 0.12 * Noise.smoothstep(0.70, 0.73, patch);
        set(albedo, asphalt, k);
        if (wet) {
            double puddle = Noise.smoothstep(0.66, 0.70, Noise.fbm(x * 0.25, y * 0.25, 3, fp * 0.25, seed + 24));
            scale(albedo, 0.72 - 0.3 * puddle);
            reflect = 0.35 + 0.55 * puddle;
        }
    }

    private void road(double x, double y, double ax, int side, double dyc, double fx, double fy, double fp) {
        Layout l = layout;
        asphaltTexture(x, y, fp, 1.0);
        // Tyre tracks and oil down the middle of each lane; a dark gutter by the curb.
        double laneU = (ax - l.median / 2) / l.laneWidth;
        if (laneU > 0 && laneU < l.lanes) {
            double c = (laneU - Math.floor(laneU) - 0.5) * l.laneWidth;
            double oil = Noise.band(c, -0.35, 0.35, fx) * (0.6 + 0.4 * Noise.value(x * 0.7, y * 0.25, seed + 31));
            scale(albedo, 1 - 0.1 * oil);
        }
        scale(albedo, 1 - 0.15 * Noise.band(ax, l.roadEdge[side] - 0.35, l.roadEdge[side], fx));
        double mark = 0;
        double yellow = 0;
        boolean intersection = dyc < l.crossHalf + Layout.CURB + 0.2;
        if (!intersection) {
            if (l.median >= 0.6) {
                double m = l.median / 2;
                mark = Math.max(mark, Noise.band(ax, m - 0.25, m - 0.1, fx));
                // Hatching inside a wide painted median.
                double hatch = Noise.stripes(y + x * 1.0, 4, 0.3, fy + fx) * Noise.band(ax, 0, m - 0.25, fx);
                mark = Math.max(mark, hatch * 0.9);
            } else if (l.yellowCentre) {
                yellow = Noise.band(ax, 0.06, 0.18, fx);
            } else {
                mark = Math.max(mark, Noise.band(x, -0.07, 0.07, fx) * Noise.stripes(y, 9, 3, fy));
            }
            for (int k = 1; k < l.lanes; k++) {
                double lx = l.median / 2 + k * l.laneWidth;
                double dash = l.dashedLanes ? Noise.stripes(y + side * 4.5, 12, 4, fy) : 1;
                mark = Math.max(mark, Noise.band(ax, lx - 0.07, lx + 0.07, fx) * dash);
            }
            double edge = l.median / 2 + l.lanes * l.laneWidth;
            if (l.bike[side] > 0 || l.parking[side] > 0) {
                mark = Math.max(mark, Noise.band(ax, edge - 0.07, edge + 0.07, fx));
            }
            if (l.bike[side] > 0) {
                double inBike = Noise.band(ax, edge + 0.07, edge + l.bike[side] - 0.07, fx);
                mixInto(albedo, bikeTint, inBike * 0.55);
                double outer = edge + l.bike[side];
                if (l.parking[side] > 0) {
                    mark = Math.max(mark, Noise.band(ax, outer - 0.07, outer + 0.07, fx) * Noise.stripes(y, 3, 1.5, fy));
                }
            }
            if (l.parking[side] > 0) {
                double p0 = l.roadEdge[side] - l.parking[side];
                double tick = Noise.band(ax, p0, p0 + 0.5, fx) * Noise.stripes(y + 1.0, 6.1, 0.12, fy);
                mark = Math.max(mark, tick);
            }
        }
        if (l.hasZebra()) {
            mark = Math.max(mark, zebra(x, y, l.yZebra - 1.75, l.yZebra + 1.75, fx, fy, ax, side));
            double stop = side == 1 ? l.yZebra - 3.5 : l.yZebra + 3.5;
            mark = Math.max(mark, stopLine(y, stop, ax, side, fx, fy));
        }
        if (l.hasCross()) {
            double[] near = l.crossZebra(false);
            double[] far = l.crossZebra(true);
            mark = Math.max(mark, zebra(x, y, near[0], near[1], fx, fy, ax, side));
            mark = Math.max(mark, zebra(x, y, far[0], far[1], fx, fy, ax, side));
            double stop = side == 1 ? near[0] - 1.3 : far[1] + 1.3;
            mark = Math.max(mark, stopLine(y, stop, ax, side, fx, fy));
        }
        paintMarking(x, y, fp, mark, yellow);
        manhole(x, y, fx, fy);
    }

    private double zebra(double x, double y, double y0, double y1, double fx, double fy, double ax, int side) {
        if (y < y0 - fy || y > y1 + fy) {
            return 0;
        }
        return Noise.band(y, y0, y1, fy) * Noise.stripes(x + 0.3, 1.1, 0.55, fx)
                * Noise.band(ax, 0, layout.roadEdge[side] - 0.4, fx);
    }

    private double stopLine(double y, double at, double ax, int side, double fx, double fy) {
        Layout l = layout;
        boolean approach = side == 1;
        double inner = l.median / 2;
        double outer = l.median / 2 + l.lanes * l.laneWidth;
        return approach || side == 0 ? Noise.band(y, at - 0.22, at + 0.22, fy) * Noise.band(ax, inner, outer, fx) : 0;
    }

    private void paintMarking(double x, double y, double fp, double white, double yellow) {
        if (white <= 0 && yellow <= 0) {
            return;
        }
        double wear = 0.7 + 0.3 * Noise.fbm(x * 1.5, y * 1.5, 2, fp * 1.5, seed + 41);
        float[] paint = {0.86f, 0.86f, 0.84f};
        mixInto(albedo, paint, white * wear);
        mixInto(albedo, new float[]{0.85f, 0.68f, 0.15f}, yellow * wear);
        reflect *= 1 - 0.5 * Math.max(white, yellow);
    }

    private void manhole(double x, double y, double fx, double fy) {
        int cx = (int) Math.floor(x / 4.0);
        int cy = (int) Math.floor(y / 22.0);
        if (Noise.lattice(cx, cy, seed + 51) > 0.22) {
            return;
        }
        double mx = (cx + 0.5) * 4.0;
        double my = (cy + 0.3 + 0.4 * Noise.lattice(cy, cx, seed + 52)) * 22.0;
        double d = Fast.hypot(x - mx, (y - my));
        double cover = Noise.band(d, -1, 0.32, Math.max(fx, fy));
        mixInto(albedo, new float[]{0.2f, 0.2f, 0.21f}, cover * 0.85);
    }

    private void crossRoad(double x, double y, double ax, int side, double dyc, double fx, double fy, double fp) {
        Layout l = layout;
        asphaltTexture(x, y, fp, 1.0);
        double mark = Noise.band(y - l.yCross, -0.07, 0.07, fy) * Noise.stripes(ax, 9, 3, fx)
                * Noise.band(ax, l.walkOuter[side] + 1, 1e9, fx);
        // Zebra across the cross street, in line with the main sidewalk.
        double zebra = Noise.band(ax, l.walkInner[side] + 0.2, l.walkOuter[side] - 0.2, fx)
                * Noise.stripes(y - l.yCross + 0.3, 1.1, 0.55, fy) * Noise.band(dyc, 0, l.crossHalf - 0.4, fy);
        double stop = Noise.band(ax, l.walkOuter[side] + 1.2, l.walkOuter[side] + 1.6, fx)
                * Noise.band(y - l.yCross, side == 1 ? 0 : -l.crossHalf, side == 1 ? l.crossHalf : 0, fy);
        paintMarking(x, y, fp, Math.max(mark, Math.max(zebra, stop)), 0);
    }

    private void curb(double x, double y, double fp) {
        double n = Noise.fbm(x * 2, y * 2, 2, fp * 2, seed + 61);
        float k = (float) (0.95 + 0.1 * n);
        albedo[0] = 0.66f * k;
        albedo[1] = 0.66f * k;
        albedo[2] = 0.64f * k;
        if (wet) {
            scale(albedo, 0.8);
            reflect = 0.15;
        }
    }

    private void grassTexture(double x, double y, double fp) {
        double n = Noise.fbm(x * 0.9, y * 0.9, 4, fp * 0.9, seed + 71);
        double dirt = Noise.smoothstep(0.62, 0.72, Noise.fbm(x * 0.2, y * 0.2, 3, fp * 0.2, seed + 72));
        set(albedo, grass, 0.75 + 0.5 * n);
        mixInto(albedo, new float[]{0.42f, 0.36f, 0.26f}, dirt * 0.7);
        if (wet) {
            scale(albedo, 0.8);
        }
    }

    private void sidewalkTexture(double x, double y, double across, double fx, double fy, double fp, double tone) {
        Layout l = layout;
        double n = Noise.fbm(x * 0.5, y * 0.5, 3, fp * 0.5, seed + 81);
        set(albedo, sidewalk, tone * (0.9 + 0.2 * n));
        double joints;
        if (l.sidewalkPattern == 0) {
            double slab = l.slab;
            joints = Math.max(Noise.stripes(y, slab, 0.03, fy), Noise.stripes(across, slab, 0.03, fx));
            int ix = (int) Math.floor(across / slab);
            int iy = (int) Math.floor(y / slab);
            double fade = Noise.clamp01(1.5 - fp / slab * 2);
            scale(albedo, 1 + fade * 0.08 * (Noise.lattice(ix, iy, seed + 82) - 0.5));
        } else if (l.sidewalkPattern == 1) {
            double row = Math.floor(y / 0.1);
            joints = Math.max(Noise.stripes(y, 0.1, 0.012, fy),
                    Noise.stripes(across + (((long) row & 1) == 0 ? 0 : 0.1), 0.2, 0.012, fx));
        } else {
            joints = Noise.stripes(y, 6, 0.02, fy);
        }
        scale(albedo, 1 - 0.3 * joints);
        if (wet) {
            scale(albedo, 0.75);
            reflect = 0.18;
        }
    }

    private void lot(double x, double y, double fx, double fy, double fp) {
        Layout.ParkingLot lot = layout.lot;
        asphaltTexture(x, y, fp, 1.12);
        double rowA = Noise.band(x, lot.aisleX0() - lot.rowDepth(), lot.aisleX0(), fx);
        double rowB = Noise.band(x, lot.aisleX1(), lot.aisleX1() + lot.rowDepth(), fx);
        double lines = Noise.stripes(y - lot.y0() - 2 + 0.06, lot.stallWidth(), 0.12, fy) * Math.max(rowA, rowB)
                * Noise.band(y, lot.y0() + 2, lot.y1() - 2, fy);
        double walkway = Noise.band(x, lot.aisleX1() + lot.rowDepth() + 0.3, lot.x1(), fx);
        paintMarking(x, y, fp, lines, 0);
        if (walkway > 0) {
            float[] walkColor = Lighting.mix(sidewalk, albedo, 1 - walkway);
            albedo[0] = walkColor[0];
            albedo[1] = walkColor[1];
            albedo[2] = walkColor[2];
        }
    }

    private static void set(float[] out, float[] c, double k) {
        out[0] = (float) (c[0] * k);
        out[1] = (float) (c[1] * k);
        out[2] = (float) (c[2] * k);
    }

    private static void scale(float[] out, double k) {
        out[0] *= (float) k;
        out[1] *= (float) k;
        out[2] *= (float) k;
    }

    private static void mixInto(float[] out, float[] c, double t) {
        if (t <= 0) {
            return;
        }
        float s = (float) Math.min(1, t);
        out[0] += (c[0] - out[0]) * s;
        out[1] += (c[1] - out[1]) * s;
        out[2] += (c[2] - out[2]) * s;
    }
}
