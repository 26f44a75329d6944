package io.strix.camsim.render;

import io.strix.camsim.figure.DogFigure;
import io.strix.camsim.figure.DogLook;
import io.strix.camsim.figure.Mesh;
import io.strix.camsim.figure.PersonFigure;
import io.strix.camsim.figure.PersonLook;
import io.strix.camsim.figure.PropFigure;
import io.strix.camsim.figure.TwoWheelerFigure;
import io.strix.camsim.figure.TwoWheelerLook;
import io.strix.camsim.figure.VehicleFigure;
import io.strix.camsim.figure.VehicleLook;
import io.strix.camsim.motion.Agent;
import io.strix.camsim.motion.Simulation;
import io.strix.camsim.truth.FrameTruth;
import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.truth.ObjectTruth;
import io.strix.camsim.world.Camera;
import io.strix.camsim.world.Fast;
import io.strix.camsim.world.Layout;
import io.strix.camsim.world.Lighting;
import io.strix.camsim.world.Noise;
import io.strix.camsim.world.Prop;
import io.strix.camsim.world.Rng;
import io.strix.camsim.world.Scene;
import io.strix.camsim.world.Weather;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Renders frames of one scene at one image size: the static background (ray-cast once, with props baked in), then
 * per frame the shadows, the objects and the props in front of them in occlusion order, night lights, distractors and
 * camera effects, and the ground truth from the object-id mask.
 *
 * <p>Not thread-safe; the image and mask of a {@link RenderedFrame} are reused by the next call.
 */
public final class FrameRenderer {
    private static final int MARGIN = 2;

    private final Scene scene;
    private final Camera camera;
    private final int width;
    private final int height;
    private final SceneLight light;
    private final Lighting lighting;
    private final int[] background;
    private final List<Sprite> sprites = new ArrayList<>();
    private final List<Prop> signals = new ArrayList<>();
    private final BufferedImage frame;
    private final int[] pixels;
    private final Graphics2D g;
    private final MaskRaster mask;
    private final MeshPainter painter;
    private final List<Mesh> meshPool = new ArrayList<>();
    private final CameraEffects effects;
    private final BufferedImage glow;
    private final Path2D.Float path = new Path2D.Float();
    private final double[] cam3 = new double[3];
    private final SceneLight.ObjectLight objectLight = new SceneLight.ObjectLight();
    private int[] shifted;
    private int[] shiftedIds;

    public FrameRenderer(Scene scene, int width, int height) {
        this.scene = scene;
        this.width = width;
        this.height = height;
        this.camera = scene.camera(width, height);
        this.light = new SceneLight(scene.lighting, scene.layout, scene.lampColor);
        this.lighting = scene.lighting;
        this.effects = new CameraEffects(scene, width, height);
        this.painter = new MeshPainter(camera, light, effects);
        this.glow = glowImage();
        this.frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        this.pixels = ((DataBufferInt) frame.getRaster().getDataBuffer()).getData();
        this.mask = new MaskRaster(width, height);
        int[] sky = new BackgroundPainter(scene.layout, light, camera, scene.seed).paint();
        effects.grade(sky);
        System.arraycopy(sky, 0, pixels, 0, sky.length);
        this.g = frame.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
        buildProps();
        this.background = pixels.clone();
    }

    public Camera camera() {
        return camera;
    }

    public Scene scene() {
        return scene;
    }

    // ---------------------------------------------------------------- static props

    /** A prop drawn once into its own image, with the pixels it covers. */
    private record Sprite(Prop prop, int x0, int y0, int w, int h, BufferedImage image, boolean[] cover,
                          double dist) {
    }

    private void buildProps() {
        List<Prop> props = new ArrayList<>(scene.props);
        props.sort(Comparator.comparingDouble(p -> -Fast.hypot(p.x() - camera.x, p.y() - camera.y)));
        Mesh m = new Mesh();
        // Shadows and tree pits on the ground first, then the props far to near.
        for (Prop p : props) {
            groundDecal(p);
        }
        for (Prop p : props) {
            m.clear();
            PropFigure.build(m, p);
            double dist = Fast.hypot(p.x() - camera.x, p.y() - camera.y);
            light.forObject(p.x(), p.y(), dist, objectLight);
            objectLight.lightsOn = lighting.lampsOn;
            if (!painter.prepare(m, objectLight)) {
                continue;
            }
            int x0 = (int) Math.floor(painter.minX) - 1;
            int y0 = (int) Math.floor(painter.minY) - 1;
            int x1 = (int) Math.ceil(painter.maxX) + 1;
            int y1 = (int) Math.ceil(painter.maxY) + 1;
            x0 = Math.max(x0, -MARGIN);
            y0 = Math.max(y0, -MARGIN);
            x1 = Math.min(x1, width + MARGIN);
            y1 = Math.min(y1, height + MARGIN);
            if (x1 <= x0 || y1 <= y0) {
                continue;
            }
            int w = x1 - x0;
            int h = y1 - y0;
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            Graphics2D sg = image.createGraphics();
            sg.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            painter.draw(sg, x0, y0);
            sg.dispose();
            MaskRaster local = new MaskRaster(w, h);
            local.begin(1, 0, 0, w, h);
            painter.rasterize(local, x0, y0);
            boolean[] cover = new boolean[w * h];
            int[] ids = local.ids();
            for (int i = 0; i < cover.length; i++) {
                cover[i] = ids[i] == 1;
            }
            g.drawImage(image, x0, y0, null);
            sprites.add(new Sprite(p, x0, y0, w, h, image, cover, dist));
            if (p.kind() == Prop.Kind.TRAFFIC_LIGHT) {
                signals.add(p);
            }
            if (p.kind() == Prop.Kind.LAMP && lighting.lampsOn) {
                double[] head = PropFigure.lampHead(p);
                drawGlow(head[0], head[1], head[2] - 0.1, 2.2, scene.lampColor, 0.55);
            }
        }
    }

    private void groundDecal(Prop p) {
        Layout l = scene.layout;
        if (p.kind() == Prop.Kind.TREE && l.verge[p.x() < 0 ? 0 : 1] == 0) {
            double r = 0.6;
            fillGround(new double[]{p.x() - r, p.x() + r, p.x() + r, p.x() - r},
                    new double[]{p.y() - r, p.y() - r, p.y() + r, p.y() + r}, new Color(0x3A3028));
        }
        double sun = lighting.sunStrength();
        if (sun < 0.05 || light.sunVisible(p.x(), p.y(), 0.5) == 0) {
            return;
        }
        Color shade = shadowColor(1.0);
        double kx = -lighting.sunX / lighting.sunZ;
        double ky = -lighting.sunY / lighting.sunZ;
        switch (p.kind()) {
            case TREE -> {
                double k = p.scale();
                double cz = 3.9 * k;
                double r = 1.8 * k;
                double cx = p.x() + kx * cz;
                double cy = p.y() + ky * cz;
                int n = 18;
                double[] xs = new double[n];
                double[] ys = new double[n];
                double stretch = 1 / Math.max(0.3, lighting.sunZ);
                double ax = -kx;
                double ay = -ky;
                double al = Math.max(1e-6, Fast.hypot(ax, ay));
                ax /= al;
                ay /= al;
                for (int i = 0; i < n; i++) {
                    double a = 2 * Math.PI * i / n;
                    double u = Math.cos(a) * r * Math.min(2.5, stretch * 0.8);
                    double v = Math.sin(a) * r;
                    xs[i] = cx + ax * u - ay * v;
                    ys[i] = cy + ay * u + ax * v;
                }
                fillGround(xs, ys, shade);
                pole(p.x(), p.y(), 2.5 * k, 0.14 * k, kx, ky, shade);
            }
            case LAMP -> pole(p.x(), p.y(), p.scale(), 0.08, kx, ky, shade);
            case TRAFFIC_LIGHT, SIGN, FLAG -> pole(p.x(), p.y(), 2.8, 0.05, kx, ky, shade);
            case BIN, HYDRANT, BOLLARD, CONE, MAILBOX -> pole(p.x(), p.y(), 0.8, 0.2, kx, ky, shade);
            case BENCH, PLANTER -> pole(p.x(), p.y(), 0.6, 0.6, kx, ky, shade);
            case SHELTER -> pole(p.x(), p.y(), 2.5, 1.5, kx, ky, shade);
        }
    }

    private void pole(double x, double y, double h, double r, double kx, double ky, Color c) {
        double ex = x + kx * h;
        double ey = y + ky * h;
        double dx = ex - x;
        double dy = ey - y;
        double len = Math.max(1e-6, Fast.hypot(dx, dy));
        double nx = -dy / len * r;
        double ny = dx / len * r;
        fillGround(new double[]{x + nx, ex + nx, ex - nx, x - nx}, new double[]{y + ny, ey + ny, ey - ny, y - ny}, c);
    }

    /** Fills a polygon lying on the ground (z = 0), clipped to what is in front of the camera. */
    private void fillGround(double[] xs, double[] ys, Color color) {
        if (!groundPath(xs, ys, xs.length)) {
            return;
        }
        g.setColor(color);
        g.fill(path);
    }

    private boolean groundPath(double[] xs, double[] ys, int n) {
        path.reset();
        boolean any = false;
        int count = 0;
        double[] c = cam3;
        double near = 0.3;
        double[] cx = new double[n];
        double[] cy = new double[n];
        double[] cz = new double[n];
        for (int i = 0; i < n; i++) {
            camera.toCamera(xs[i], ys[i], 0.01, c, 0);
            cx[i] = c[0];
            cy[i] = c[1];
            cz[i] = c[2];
        }
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            boolean inI = cz[i] >= near;
            boolean inJ = cz[j] >= near;
            if (inI) {
                add(cx[i], cy[i], cz[i], count++);
                any = true;
            }
            if (inI != inJ) {
                double t = (near - cz[i]) / (cz[j] - cz[i]);
                add(cx[i] + (cx[j] - cx[i]) * t, cy[i] + (cy[j] - cy[i]) * t, near, count++);
            }
        }
        if (count < 3 || !any) {
            return false;
        }
        path.closePath();
        return true;
    }

    private void add(double x, double y, double z, int index) {
        float sx = (float) camera.screenX(x, z);
        float sy = (float) camera.screenY(y, z);
        if (index == 0) {
            path.moveTo(sx, sy);
        } else {
            path.lineTo(sx, sy);
        }
    }

    private Color shadowColor(double strength) {
        float[] amb = lighting.ambient;
        float[] sun = lighting.sun;
        double a = (amb[0] + amb[1] + amb[2]) / 3;
        double s = (sun[0] + sun[1] + sun[2]) / 3 * lighting.sunZ;
        double alpha = Math.max(0, Math.min(0.75, s / (a + s))) * strength;
        return new Color(0.02f, 0.03f, 0.06f, (float) alpha);
    }

    private static BufferedImage glowImage() {
        int size = 64;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = Fast.hypot(x + 0.5 - size / 2.0, y + 0.5 - size / 2.0) / (size / 2.0);
                double a = d >= 1 ? 0 : Math.pow(1 - d, 2.2);
                img.setRGB(x, y, ((int) (a * 255) << 24) | 0xFFFFFF);
            }
        }
        return img;
    }

    /** A soft halo around a light at a world position; radius in metres. */
    private void drawGlow(double x, double y, double z, double radius, float[] color, double strength) {
        camera.toCamera(x, y, z, cam3, 0);
        if (cam3[2] < 0.5) {
            return;
        }
        double r = radius * camera.focal / cam3[2];
        r = Math.max(2, Math.min(r, width * 0.3));
        float sx = (float) camera.screenX(cam3[0], cam3[2]);
        float sy = (float) camera.screenY(cam3[1], cam3[2]);
        if (sx + r < 0 || sy + r < 0 || sx - r > width || sy - r > height) {
            return;
        }
        BufferedImage tinted = tint(color);
        java.awt.Composite old = g.getComposite();
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) Math.min(1, strength)));
        g.drawImage(tinted, Math.round(sx - (float) r), Math.round(sy - (float) r), (int) Math.round(2 * r),
                (int) Math.round(2 * r), null);
        g.setComposite(old);
    }

    private final java.util.Map<Integer, BufferedImage> tints = new java.util.HashMap<>();

    private BufferedImage tint(float[] color) {
        int rgb = (MeshPainter.to8(color[0]) << 16) | (MeshPainter.to8(color[1]) << 8) | MeshPainter.to8(color[2]);
        return tints.computeIfAbsent(rgb, c -> {
            int size = glow.getWidth();
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    img.setRGB(x, y, (glow.getRGB(x, y) & 0xFF000000) | c);
                }
            }
            return img;
        });
    }

    // ---------------------------------------------------------------- frames

    /** One thing to draw this frame: an agent (with its rider) or a prop in front of some agent. */
    private static final class Drawable {
        Agent agent;
        Agent rider;
        Sprite sprite;
        Mesh mesh;
        Mesh riderMesh;
        double cx;
        double cy;
        double halfLength;
        double halfWidth;
        double sin;
        double cos;
        double dist;
        float minX;
        float minY;
        float maxX;
        float maxY;
        int pending;
        List<Drawable> after;
        boolean done;
    }

    /** Renders the world as it is now; frameNumber (from 1) seeds the sensor noise. */
    public RenderedFrame render(Simulation sim, long frameNumber) {
        System.arraycopy(background, 0, pixels, 0, pixels.length);
        mask.clear();
        List<Drawable> items = collect(sim);
        drawSignals(sim);
        drawGroundEffects(items, sim);
        List<Drawable> order = sortForDrawing(items);
        List<Slot> slots = new ArrayList<>();
        for (Drawable d : order) {
            if (d.sprite != null) {
                Sprite s = d.sprite;
                g.drawImage(s.image, s.x0, s.y0, null);
                mask.occlude(s.cover, s.x0, s.y0, s.w, s.h);
                continue;
            }
            drawAgent(d.agent, d.mesh, slots);
            if (d.rider != null) {
                drawAgent(d.rider, d.riderMesh, slots);
            }
        }
        Distractors.draw(this, sim.time());
        if (lighting.weather == Weather.RAIN && scene.scenario.effects().distractors()) {
            rain(frameNumber);
        }
        int[] ids = mask.ids();
        int[] shake = effects.shake(sim.time());
        if (shake[0] != 0 || shake[1] != 0) {
            shift(pixels, ids, shake[0], shake[1]);
        }
        FrameTruth truth = truth(slots, ids, frameNumber, sim.time());
        effects.apply(pixels, frameNumber, sim.time());
        return new RenderedFrame(frame, ids, slotIds, truth);
    }

    /** An object drawn this frame: its agent and silhouette size. */
    private record Slot(Agent agent, int full, float minX, float minY, float maxX, float maxY, double dist) {
    }

    private Mesh mesh(int i) {
        while (meshPool.size() <= i) {
            meshPool.add(new Mesh());
        }
        Mesh m = meshPool.get(i);
        m.clear();
        return m;
    }

    private List<Drawable> collect(Simulation sim) {
        List<Drawable> items = new ArrayList<>();
        int meshes = 0;
        for (Agent a : sim.agents()) {
            if (a.role() == Agent.Role.RIDE) {
                continue;
            }
            double h = heightOf(a);
            Drawable d = new Drawable();
            d.agent = a;
            d.cx = a.x;
            d.cy = a.y;
            d.sin = Math.sin(a.heading);
            d.cos = Math.cos(a.heading);
            d.halfLength = a.length / 2;
            d.halfWidth = a.width / 2;
            if (!screenBounds(d, h)) {
                continue;
            }
            d.dist = Fast.hypot(a.x - camera.x, a.y - camera.y);
            items.add(d);
        }
        // Riders go with their bicycle or motorcycle.
        for (Agent a : sim.agents()) {
            if (a.role() == Agent.Role.RIDE && a.mount != null) {
                for (Drawable d : items) {
                    if (d.agent == a.mount) {
                        d.rider = a;
                        float[] b = bounds(a.x, a.y, a.heading, 0.4, 0.3, 0.9 + ((PersonLook) a.look).height() * 0.8);
                        if (b != null) {
                            d.minX = Math.min(d.minX, b[0]);
                            d.minY = Math.min(d.minY, b[1]);
                            d.maxX = Math.max(d.maxX, b[2]);
                            d.maxY = Math.max(d.maxY, b[3]);
                        }
                    }
                }
            }
        }
        for (Drawable d : items) {
            // Parts below about a pixel at the object's distance are left out.
            double depth = Math.max(0.5, camera.depth(d.agent.x, d.agent.y, 1.0));
            double feature = 0.8 * depth / camera.focal;
            d.mesh = mesh(meshes++);
            d.mesh.minFeature(feature);
            build(d.mesh, d.agent, sim);
            if (d.rider != null) {
                d.riderMesh = mesh(meshes++);
                d.riderMesh.minFeature(feature);
                build(d.riderMesh, d.rider, sim);
            }
        }
        // Props that stand in front of some object are drawn again, in order.
        List<Drawable> props = new ArrayList<>();
        for (Sprite s : sprites) {
            for (Drawable d : items) {
                if (s.x0 < d.maxX && s.x0 + s.w > d.minX && s.y0 < d.maxY && s.y0 + s.h > d.minY) {
                    Drawable p = new Drawable();
                    p.sprite = s;
                    p.cx = s.prop.x();
                    p.cy = s.prop.y();
                    p.sin = 0;
                    p.cos = 1;
                    p.halfLength = s.prop.footprint();
                    p.halfWidth = s.prop.footprint();
                    p.dist = s.dist;
                    p.minX = s.x0;
                    p.minY = s.y0;
                    p.maxX = s.x0 + s.w;
                    p.maxY = s.y0 + s.h;
                    props.add(p);
                    break;
                }
            }
        }
        items.addAll(props);
        return items;
    }

    private static double heightOf(Agent a) {
        if (a.look instanceof PersonLook p) {
            return p.height() + 0.3;
        }
        if (a.look instanceof VehicleLook v) {
            return v.height() + 0.3;
        }
        if (a.look instanceof DogLook d) {
            return 0.75 * d.size();
        }
        return 1.3;
    }

    private boolean screenBounds(Drawable d, double h) {
        float[] b = bounds(d.cx, d.cy, Math.atan2(d.sin, d.cos), d.halfLength + 0.2, d.halfWidth + 0.2, h);
        if (b == null) {
            return false;
        }
        d.minX = b[0];
        d.minY = b[1];
        d.maxX = b[2];
        d.maxY = b[3];
        return d.maxX >= -MARGIN && d.minX <= width + MARGIN && d.maxY >= -MARGIN && d.minY <= height + MARGIN;
    }

    /** Screen bounds of an upright box on the ground, or null when it is wholly behind the camera. */
    private float[] bounds(double x, double y, double heading, double halfLength, double halfWidth, double h) {
        double s = Math.sin(heading);
        double c = Math.cos(heading);
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        boolean front = false;
        boolean behind = false;
        for (int i = 0; i < 8; i++) {
            double u = (i & 1) == 0 ? -halfLength : halfLength;
            double v = (i & 2) == 0 ? -halfWidth : halfWidth;
            double z = (i & 4) == 0 ? 0 : h;
            double px = x + s * u + c * v;
            double py = y + c * u - s * v;
            camera.toCamera(px, py, z, cam3, 0);
            if (cam3[2] < 0.3) {
                behind = true;
                continue;
            }
            front = true;
            float sx = (float) camera.screenX(cam3[0], cam3[2]);
            float sy = (float) camera.screenY(cam3[1], cam3[2]);
            minX = Math.min(minX, sx);
            minY = Math.min(minY, sy);
            maxX = Math.max(maxX, sx);
            maxY = Math.max(maxY, sy);
        }
        if (!front) {
            return null;
        }
        if (behind) {
            // Partly behind the camera: it may fill any part of the picture.
            minX = Math.min(minX, -MARGIN);
            maxX = Math.max(maxX, width + MARGIN);
            maxY = Math.max(maxY, height + MARGIN);
        }
        return new float[]{minX, minY, maxX, maxY};
    }

    private void build(Mesh m, Agent a, Simulation sim) {
        double cx = camera.x;
        double cy = camera.y;
        double cz = camera.z;
        if (a.look instanceof PersonLook p) {
            if (a.mount != null) {
                TwoWheelerLook t = (TwoWheelerLook) a.mount.look;
                PersonFigure.build(m, p, a.x, a.y, TwoWheelerFigure.seat(t)[1], a.heading, a.phase, 0, a.pose,
                        TwoWheelerFigure.feet(t, a.phase), TwoWheelerFigure.hands(t), cx, cy, cz);
            } else {
                PersonFigure.build(m, p, a.x, a.y, 0, a.heading, a.phase, a.speed / 1.35, a.pose, cx, cy, cz);
            }
        } else if (a.look instanceof VehicleLook v) {
            boolean blink = ((long) Math.floor(sim.time() * 2.5 + a.id * 0.37) & 1) == 0;
            VehicleFigure.build(m, v, a.x, a.y, a.heading, new VehicleFigure.Signals(a.braking, a.turn, blink), cx,
                    cy, cz);
        } else if (a.look instanceof TwoWheelerLook t) {
            TwoWheelerFigure.build(m, t, a.x, a.y, a.heading, a.phase, a.braking, cx, cy, cz);
        } else if (a.look instanceof DogLook d) {
            DogFigure.build(m, d, a.x, a.y, a.heading, a.phase, Math.min(2, a.speed / 1.2), cx, cy, cz);
            if (a.owner != null) {
                Agent o = a.owner;
                double hand = ((PersonLook) o.look).height() * 0.45;
                double ox = o.x + Math.cos(o.heading) * 0.28 + Math.sin(o.heading) * 0.15;
                double oy = o.y - Math.sin(o.heading) * 0.28 + Math.cos(o.heading) * 0.15;
                double nx = a.x + Math.sin(a.heading) * 0.3 * d.size();
                double ny = a.y + Math.cos(a.heading) * 0.3 * d.size();
                m.layer(6);
                m.tube(io.strix.camsim.figure.Xform.at(0, 0, 0, 0), ox, oy, hand, nx, ny, 0.45 * d.size(), 0.012,
                        0x1A1A1A, Mesh.NO_MASK | Mesh.NO_SHADOW);
                m.layer(0);
            }
        }
    }

    private void drawAgent(Agent a, Mesh m, List<Slot> slots) {
        double dist = Fast.hypot(a.x - camera.x, a.y - camera.y);
        light.forObject(a.x, a.y, dist, objectLight);
        objectLight.lightsOn = lighting.headlightsOn && a.look instanceof VehicleLook
                || lighting.headlightsOn && a.look instanceof TwoWheelerLook t && t.motor();
        if (!painter.prepare(m, objectLight)) {
            return;
        }
        if (painter.maxX < 0 || painter.minX > width || painter.maxY < 0 || painter.minY > height) {
            return;
        }
        // Small, far objects: crisp edges cost much less and are hidden by the camera's own softness anyway.
        boolean small = painter.maxY - painter.minY < 10 && painter.maxX - painter.minX < 16;
        if (small) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        }
        painter.draw(g, 0, 0);
        if (small) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        }
        int slot = slots.size() + 1;
        mask.begin(slot, (int) Math.floor(painter.minX) - 1, (int) Math.floor(painter.minY) - 1,
                (int) Math.ceil(painter.maxX) + 2, (int) Math.ceil(painter.maxY) + 2);
        painter.rasterize(mask, 0, 0);
        int full = mask.end();
        slots.add(new Slot(a, full, painter.minX, painter.minY, painter.maxX, painter.maxY,
                Math.sqrt(dist * dist + camera.z * camera.z)));
        if (objectLight.lightsOn) {
            carLights(a);
        }
    }

    private void carLights(Agent a) {
        double[][] heads;
        double[][] tails;
        if (a.look instanceof VehicleLook v) {
            heads = VehicleFigure.headlights(v, a.x, a.y, a.heading);
            tails = VehicleFigure.taillights(v, a.x, a.y, a.heading);
        } else {
            double fx = Math.sin(a.heading);
            double fy = Math.cos(a.heading);
            heads = new double[][]{{a.x + fx * 0.7, a.y + fy * 0.7, 0.9}};
            tails = new double[][]{{a.x - fx * 0.9, a.y - fy * 0.9, 0.75}};
        }
        double tx = camera.x - a.x;
        double ty = camera.y - a.y;
        double tl = Math.max(1e-6, Fast.hypot(tx, ty));
        double facing = (Math.sin(a.heading) * tx + Math.cos(a.heading) * ty) / tl;
        float[] white = {1.0f, 0.96f, 0.85f};
        float[] red = {1.0f, 0.12f, 0.08f};
        for (double[] h : heads) {
            drawGlow(h[0], h[1], h[2], 0.35 + 0.9 * Math.max(0, facing), white, 0.35 + 0.6 * Math.max(0, facing));
        }
        for (double[] t : tails) {
            drawGlow(t[0], t[1], t[2], 0.3 + 0.3 * Math.max(0, -facing), red,
                    (a.braking ? 0.8 : 0.4) * Math.max(0.2, -facing));
        }
    }

    private void drawSignals(Simulation sim) {
        if (signals.isEmpty()) {
            return;
        }
        Simulation.Light state = sim.mainLight();
        int index = state == Simulation.Light.RED ? 0 : (state == Simulation.Light.AMBER ? 1 : 2);
        float[] color = index == 0 ? new float[]{1f, 0.15f, 0.1f} : (index == 1 ? new float[]{1f, 0.7f, 0.1f}
                : new float[]{0.2f, 1f, 0.45f});
        for (Prop p : signals) {
            double[] lamp = PropFigure.signalLamps(p)[index];
            // Only the face towards the camera shows the lamp.
            double facing = Math.sin(p.heading()) * (camera.x - p.x()) + Math.cos(p.heading()) * (camera.y - p.y());
            if (facing <= 0) {
                continue;
            }
            camera.toCamera(lamp[0], lamp[1], lamp[2], cam3, 0);
            if (cam3[2] < 0.5) {
                continue;
            }
            float r = (float) Math.max(0.8, 0.1 * camera.focal / cam3[2]);
            float sx = (float) camera.screenX(cam3[0], cam3[2]);
            float sy = (float) camera.screenY(cam3[1], cam3[2]);
            g.setColor(new Color(color[0], color[1], color[2]));
            g.fill(new java.awt.geom.Ellipse2D.Float(sx - r, sy - r, 2 * r, 2 * r));
            if (lighting.darkness > 0.3) {
                drawGlow(lamp[0], lamp[1], lamp[2], 0.5, color, 0.5);
            }
        }
    }

    private void drawGroundEffects(List<Drawable> items, Simulation sim) {
        double sun = lighting.sunStrength();
        Color contact = new Color(0f, 0f, 0.02f, (float) (0.28 + 0.12 * (1 - lighting.darkness)));
        Color soft = new Color(0f, 0f, 0.02f, (float) (0.16 + 0.08 * (1 - lighting.darkness)));
        for (Drawable d : items) {
            if (d.agent == null) {
                continue;
            }
            Agent a = d.agent;
            // Contact shadow: the darkening right under and around an object, in any light.
            if (a.look instanceof VehicleLook || a.look instanceof TwoWheelerLook) {
                double hl = d.halfLength + 0.12;
                double hw = d.halfWidth + 0.1;
                double[] xs = new double[4];
                double[] ys = new double[4];
                for (int i = 0; i < 4; i++) {
                    double u = (i == 0 || i == 3) ? -hl : hl;
                    double v = i < 2 ? -hw : hw;
                    xs[i] = a.x + d.sin * u + d.cos * v;
                    ys[i] = a.y + d.cos * u - d.sin * v;
                }
                fillGround(xs, ys, contact);
            } else {
                double r = a.look instanceof DogLook dog ? 0.3 * dog.size() : 0.28;
                double[] xs = new double[10];
                double[] ys = new double[10];
                for (int i = 0; i < 10; i++) {
                    double ang = 2 * Math.PI * i / 10;
                    xs[i] = a.x + Math.cos(ang) * r * (a.look instanceof DogLook ? 0.7 : 1);
                    ys[i] = a.y + Math.sin(ang) * r;
                }
                fillGround(xs, ys, soft);
            }
            if (sun > 0.05) {
                light.forObject(a.x, a.y, d.dist, objectLight);
                if (objectLight.sunVisible > 0) {
                    castShadow(d.mesh);
                    if (d.riderMesh != null) {
                        castShadow(d.riderMesh);
                    }
                }
            }
            if (lighting.headlightsOn && a.role() == Agent.Role.DRIVE
                    && (a.look instanceof VehicleLook || a.look instanceof TwoWheelerLook t && t.motor())) {
                beam(a);
            }
        }
        Distractors.drawGround(this, sim.time());
    }

    private void castShadow(Mesh m) {
        double kx = -lighting.sunX / lighting.sunZ;
        double ky = -lighting.sunY / lighting.sunZ;
        // A subset of the points is plenty for the outline of a soft shadow.
        int[] total = {0};
        m.forEachPoint((x, y, z) -> total[0]++);
        int stride = Math.max(1, total[0] / 96);
        double[] px = new double[total[0] / stride + 2];
        double[] py = new double[px.length];
        int[] count = {0};
        int[] seen = {0};
        m.forEachPoint((x, y, z) -> {
            if (seen[0]++ % stride == 0 && count[0] < px.length) {
                px[count[0]] = x + kx * z;
                py[count[0]] = y + ky * z;
                count[0]++;
            }
        });
        int k = hull(px, py, count[0]);
        if (k < 3) {
            return;
        }
        fillGround(Arrays.copyOf(px, k), Arrays.copyOf(py, k), shadowColor(0.9));
    }

    /** Convex hull (monotone chain) of the points, written back to the start of the arrays; returns its size. */
    static int hull(double[] xs, double[] ys, int n) {
        if (n < 3) {
            return n;
        }
        // Sort by x then y through millimetre keys: a primitive sort, no boxing.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            long kx = Math.round(xs[i] * 1000) + (1L << 30);
            long ky = Math.round(ys[i] * 1000) + (1L << 30);
            keys[i] = (kx << 32) | (ky & 0xFFFFFFFFL);
        }
        Arrays.sort(keys);
        double[] hx = new double[2 * n];
        double[] hy = new double[2 * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double x = ((keys[i] >> 32) - (1L << 30)) / 1000.0;
            double y = ((keys[i] & 0xFFFFFFFFL) - (1L << 30)) / 1000.0;
            while (k >= 2 && cross(hx[k - 2], hy[k - 2], hx[k - 1], hy[k - 1], x, y) <= 0) {
                k--;
            }
            hx[k] = x;
            hy[k] = y;
            k++;
        }
        for (int i = n - 2, t = k + 1; i >= 0; i--) {
            double x = ((keys[i] >> 32) - (1L << 30)) / 1000.0;
            double y = ((keys[i] & 0xFFFFFFFFL) - (1L << 30)) / 1000.0;
            while (k >= t && cross(hx[k - 2], hy[k - 2], hx[k - 1], hy[k - 1], x, y) <= 0) {
                k--;
            }
            hx[k] = x;
            hy[k] = y;
            k++;
        }
        k--;
        System.arraycopy(hx, 0, xs, 0, k);
        System.arraycopy(hy, 0, ys, 0, k);
        return k;
    }

    private static double cross(double ox, double oy, double ax, double ay, double bx, double by) {
        return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);
    }

    private void beam(Agent a) {
        double fx = Math.sin(a.heading);
        double fy = Math.cos(a.heading);
        double rx = Math.cos(a.heading);
        double ry = -Math.sin(a.heading);
        double front = a.length / 2;
        double len = 13;
        double[] xs = {a.x + fx * front - rx * 0.7, a.x + fx * front + rx * 0.7, a.x + fx * (front + len) + rx * 3.2,
            a.x + fx * (front + len) - rx * 3.2};
        double[] ys = {a.y + fy * front - ry * 0.7, a.y + fy * front + ry * 0.7, a.y + fy * (front + len) + ry * 3.2,
            a.y + fy * (front + len) - ry * 3.2};
        if (!groundPath(xs, ys, 4)) {
            return;
        }
        camera.toCamera(a.x + fx * front, a.y + fy * front, 0, cam3, 0);
        if (cam3[2] < 0.3) {
            return;
        }
        float x0 = (float) camera.screenX(cam3[0], cam3[2]);
        float y0 = (float) camera.screenY(cam3[1], cam3[2]);
        camera.toCamera(a.x + fx * (front + len), a.y + fy * (front + len), 0, cam3, 0);
        if (cam3[2] < 0.3) {
            return;
        }
        float x1 = (float) camera.screenX(cam3[0], cam3[2]);
        float y1 = (float) camera.screenY(cam3[1], cam3[2]);
        float strength = (float) (0.24 * lighting.darkness + 0.04);
        g.setPaint(new GradientPaint(x0, y0, new Color(1f, 0.95f, 0.8f, strength), x1, y1,
                new Color(1f, 0.95f, 0.8f, 0f)));
        g.fill(path);
    }

    private List<Drawable> sortForDrawing(List<Drawable> items) {
        int n = items.size();
        for (Drawable d : items) {
            d.after = new ArrayList<>();
            d.pending = 0;
            d.done = false;
        }
        for (int i = 0; i < n; i++) {
            Drawable a = items.get(i);
            for (int j = i + 1; j < n; j++) {
                Drawable b = items.get(j);
                if (a.maxX < b.minX || b.maxX < a.minX || a.maxY < b.minY || b.maxY < a.minY) {
                    continue;
                }
                if (a.sprite != null && b.sprite != null) {
                    continue;
                }
                if (inFront(a, b)) {
                    b.after.add(a);
                    a.pending++;
                } else {
                    a.after.add(b);
                    b.pending++;
                }
            }
        }
        List<Drawable> order = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            Drawable next = null;
            for (Drawable d : items) {
                if (!d.done && d.pending == 0 && (next == null || d.dist > next.dist)) {
                    next = d;
                }
            }
            if (next == null) {
                // A cycle of mutual overlaps: break it at the farthest.
                for (Drawable d : items) {
                    if (!d.done && (next == null || d.dist > next.dist)) {
                        next = d;
                    }
                }
            }
            next.done = true;
            order.add(next);
            for (Drawable d : next.after) {
                d.pending--;
            }
        }
        return order;
    }

    /** Whether a is nearer the camera than b where they overlap: separating axes of their ground footprints. */
    private boolean inFront(Drawable a, Drawable b) {
        double[][] axes = {{a.sin, a.cos}, {a.cos, -a.sin}, {b.sin, b.cos}, {b.cos, -b.sin}};
        for (double[] n : axes) {
            double ca = a.cx * n[0] + a.cy * n[1];
            double ra = a.halfLength * Math.abs(a.sin * n[0] + a.cos * n[1])
                    + a.halfWidth * Math.abs(a.cos * n[0] - a.sin * n[1]);
            double cb = b.cx * n[0] + b.cy * n[1];
            double rb = b.halfLength * Math.abs(b.sin * n[0] + b.cos * n[1])
                    + b.halfWidth * Math.abs(b.cos * n[0] - b.sin * n[1]);
            double c = camera.x * n[0] + camera.y * n[1];
            if (ca + ra < cb - rb) {
                return c < (ca + ra + cb - rb) / 2;
            }
            if (cb + rb < ca - ra) {
                return c > (cb + rb + ca - ra) / 2;
            }
        }
        return a.dist < b.dist;
    }

    private void rain(long frameNumber) {
        Rng rng = new Rng(Rng.hash(scene.seed, frameNumber, 0x7A1L));
        g.setColor(new Color(0.85f, 0.88f, 0.92f, 0.22f));
        int drops = width * height / 1500;
        double slant = 0.15;
        for (int i = 0; i < drops; i++) {
            float x = (float) rng.uniform(0, width);
            float y = (float) rng.uniform(0, height);
            float len = (float) rng.uniform(6, 16) * height / 360f;
            path.reset();
            path.moveTo(x, y);
            path.lineTo(x + len * slant, y + len);
            path.lineTo(x + len * slant + 1, y + len);
            path.lineTo(x + 1, y);
            path.closePath();
            g.fill(path);
        }
    }

    private void shift(int[] rgb, int[] ids, int dx, int dy) {
        if (shifted == null) {
            shifted = new int[rgb.length];
            shiftedIds = new int[ids.length];
        }
        for (int y = 0; y < height; y++) {
            int sy = Math.max(0, Math.min(height - 1, y - dy));
            boolean inside = y - dy >= 0 && y - dy < height;
            for (int x = 0; x < width; x++) {
                int sx = x - dx;
                int cx = Math.max(0, Math.min(width - 1, sx));
                shifted[y * width + x] = rgb[sy * width + cx];
                shiftedIds[y * width + x] = inside && sx >= 0 && sx < width ? ids[sy * width + cx] : 0;
            }
        }
        System.arraycopy(shifted, 0, rgb, 0, rgb.length);
        System.arraycopy(shiftedIds, 0, ids, 0, ids.length);
    }

    private FrameTruth truth(List<Slot> slots, int[] ids, long frameNumber, double time) {
        int n = slots.size();
        int[] count = new int[n + 1];
        int[] minX = new int[n + 1];
        int[] minY = new int[n + 1];
        int[] maxX = new int[n + 1];
        int[] maxY = new int[n + 1];
        Arrays.fill(minX, Integer.MAX_VALUE);
        Arrays.fill(minY, Integer.MAX_VALUE);
        Arrays.fill(maxX, -1);
        Arrays.fill(maxY, -1);
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int id = ids[row + x];
                if (id != 0) {
                    count[id]++;
                    if (x < minX[id]) {
                        minX[id] = x;
                    }
                    if (x > maxX[id]) {
                        maxX[id] = x;
                    }
                    if (y < minY[id]) {
                        minY[id] = y;
                    }
                    maxY[id] = y;
                }
            }
        }
        int[] shake = effects.lastShake();
        List<ObjectTruth> objects = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            Slot s = slots.get(i - 1);
            int ax0 = clamp((int) Math.floor(s.minX + shake[0]), 0, width);
            int ay0 = clamp((int) Math.floor(s.minY + shake[1]), 0, height);
            int ax1 = clamp((int) Math.ceil(s.maxX + shake[0]), 0, width);
            int ay1 = clamp((int) Math.ceil(s.maxY + shake[1]), 0, height);
            if (ax1 <= ax0 || ay1 <= ay0 || s.full == 0) {
                continue;
            }
            int[] amodal = {ax0, ay0, ax1 - ax0, ay1 - ay0};
            double visibility = Math.min(1.0, count[i] / (double) s.full);
            ObjectTruth t;
            if (count[i] > 0) {
                t = new ObjectTruth(s.agent.id, s.agent.objectClass, minX[i], minY[i], maxX[i] - minX[i] + 1,
                        maxY[i] - minY[i] + 1, visibility, count[i], amodal, s.dist);
            } else {
                t = new ObjectTruth(s.agent.id, s.agent.objectClass, ax0, ay0, ax1 - ax0, ay1 - ay0, 0, 0, amodal,
                        s.dist);
            }
            objects.add(t);
        }
        objects.sort(Comparator.comparingInt(ObjectTruth::id));
        // Slot numbers in the mask follow draw order; callers get the agent ids through the slot table.
        int[] slotIds = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            slotIds[i] = slots.get(i - 1).agent.id;
        }
        this.slotIds = slotIds;
        return new FrameTruth(frameNumber, time, width, height, objects);
    }

    private int[] slotIds = new int[1];

    /** The static background (sky, street, buildings, props) as packed RGB, before noise; a copy. */
    public int[] background() {
        return background.clone();
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    // Package access for distractors.
    Graphics2D graphics() {
        return g;
    }

    MeshPainter painter() {
        return painter;
    }

    MaskRaster mask() {
        return mask;
    }

    SceneLight light() {
        return light;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    void drawNonObject(Mesh m, double x, double y) {
        double dist = Fast.hypot(x - camera.x, y - camera.y);
        light.forObject(x, y, dist, objectLight);
        objectLight.lightsOn = false;
        if (!painter.prepare(m, objectLight)) {
            return;
        }
        if (painter.maxX < 0 || painter.minX > width || painter.maxY < 0 || painter.minY > height) {
            return;
        }
        painter.draw(g, 0, 0);
        mask.begin(0, (int) Math.floor(painter.minX) - 1, (int) Math.floor(painter.minY) - 1,
                (int) Math.ceil(painter.maxX) + 2, (int) Math.ceil(painter.maxY) + 2);
        painter.rasterize(mask, 0, 0);
        mask.end();
    }

    static double noise(double t, int seed) {
        return Noise.value(t, 0.5, seed) - 0.5;
    }
}
