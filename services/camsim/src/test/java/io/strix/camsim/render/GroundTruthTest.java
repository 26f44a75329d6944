package io.strix.camsim.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.camsim.figure.PersonLook;
import io.strix.camsim.figure.VehicleLook;
import io.strix.camsim.live.SimCamera;
import io.strix.camsim.live.SimFrame;
import io.strix.camsim.motion.Agent;
import io.strix.camsim.motion.Simulation;
import io.strix.camsim.scenario.Scenario;
import io.strix.camsim.scenario.ScenarioFile;
import io.strix.camsim.scenario.Scenarios;
import io.strix.camsim.truth.FrameTruth;
import io.strix.camsim.truth.MotFormat;
import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.truth.ObjectTruth;
import io.strix.camsim.world.Camera;
import io.strix.camsim.world.Rng;
import io.strix.camsim.world.Scene;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroundTruthTest {
    /** No noise, blur, shake or distractors, so pixels can be compared with the background. */
    private static final Scenario CLEAN = ScenarioFile.parse("""
            base: crossing
            time: 12
            weather: overcast
            effects: {noise: 0, blur: 0, shake: 0, distractors: false}
            """, "clean", "clean");

    @Test
    void boxesLieInsideTheFrameAndIdsAreUniquePerFrame() {
        for (String name : List.of("street", "crossing", "parking", "night")) {
            SimCamera camera = new SimCamera(Scenarios.builtin(name), 11, new FrameSize(320, 180), 5);
            for (int i = 0; i < 8; i++) {
                FrameTruth truth = camera.next().truth();
                Set<Integer> ids = new HashSet<>();
                for (ObjectTruth o : truth.objects()) {
                    assertThat(ids.add(o.id())).as("unique id %d", o.id()).isTrue();
                    assertThat(o.x()).isBetween(0, 319);
                    assertThat(o.y()).isBetween(0, 179);
                    assertThat(o.width()).isPositive();
                    assertThat(o.height()).isPositive();
                    assertThat(o.x() + o.width()).isLessThanOrEqualTo(320);
                    assertThat(o.y() + o.height()).isLessThanOrEqualTo(180);
                    assertThat(o.visibility()).isBetween(0.0, 1.0);
                    assertThat(o.visible()).isEqualTo(o.visiblePixels() > 0);
                }
            }
        }
    }

    @Test
    void everyBoxHoldsExactlyThePixelsItsObjectShows() {
        Scene scene = new Scene(CLEAN, 3);
        Simulation sim = new Simulation(scene);
        FrameRenderer renderer = new FrameRenderer(scene, 640, 360);
        int[] background = renderer.background();
        int checked = 0;
        for (int f = 1; f <= 6; f++) {
            for (int k = 0; k < 10; k++) {
                sim.step(0.1);
            }
            RenderedFrame frame = renderer.render(sim, f);
            Map<Integer, int[]> extent = new HashMap<>();
            Map<Integer, int[]> drawn = new HashMap<>();
            int[] rgb = frame.rgb();
            for (int y = 0; y < 360; y++) {
                for (int x = 0; x < 640; x++) {
                    int id = frame.objectAt(x, y);
                    if (id == 0) {
                        continue;
                    }
                    int px = x;
                    int py = y;
                    int[] e = extent.computeIfAbsent(id, k -> new int[]{px, py, px, py, 0});
                    e[0] = Math.min(e[0], x);
                    e[1] = Math.min(e[1], y);
                    e[2] = Math.max(e[2], x);
                    e[3] = Math.max(e[3], y);
                    e[4]++;
                    int[] d = drawn.computeIfAbsent(id, k -> new int[1]);
                    if (rgb[y * 640 + x] != background[y * 640 + x]) {
                        d[0]++;
                    }
                }
            }
            for (ObjectTruth o : frame.truth().objects()) {
                if (o.visibility() < 0.5) {
                    continue;
                }
                int[] e = extent.get(o.id());
                assertThat(e).as("mask pixels of object %d", o.id()).isNotNull();
                assertThat(new int[]{o.x(), o.y(), o.x() + o.width() - 1, o.y() + o.height() - 1})
                        .as("box of object %d is the extent of its mask pixels", o.id())
                        .containsExactly(e[0], e[1], e[2], e[3]);
                assertThat(e[4]).isEqualTo(o.visiblePixels());
                if (o.visiblePixels() >= 30) {
                    // Something was really drawn there: the pixels differ from the empty street.
                    assertThat(drawn.get(o.id())[0]).as("drawn pixels of object %d", o.id())
                            .isGreaterThan((int) (0.8 * o.visiblePixels()));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void idsAndClassesStayStableWhileObjectsMove() {
        SimCamera camera = new SimCamera(Scenarios.builtin("street"), 21, new FrameSize(640, 360), 10);
        Map<Integer, ObjectClass> classes = new HashMap<>();
        Map<Integer, int[]> last = new HashMap<>();
        int moves = 0;
        for (int i = 0; i < 80; i++) {
            SimFrame frame = camera.next();
            Map<Integer, int[]> now = new HashMap<>();
            for (ObjectTruth o : frame.truth().objects()) {
                ObjectClass before = classes.putIfAbsent(o.id(), o.objectClass());
                assertThat(before == null || before == o.objectClass()).as("class of %d", o.id()).isTrue();
                int[] a = o.amodal();
                boolean inside = a[0] > 0 && a[1] > 0 && a[0] + a[2] < 640 && a[1] + a[3] < 360;
                if (inside) {
                    now.put(o.id(), a);
                    int[] p = last.get(o.id());
                    if (p != null) {
                        double size = Math.max(Math.max(a[2], a[3]), 4);
                        assertThat(Math.abs(a[0] + a[2] / 2.0 - p[0] - p[2] / 2.0)).as("x step of %d", o.id())
                                .isLessThan(size);
                        assertThat(Math.abs(a[1] + a[3] / 2.0 - p[1] - p[3] / 2.0)).as("y step of %d", o.id())
                                .isLessThan(size);
                        moves++;
                    }
                }
            }
            last = now;
        }
        assertThat(moves).isGreaterThan(100);
    }

    @Test
    void aPersonBehindABusIsInvisibleAndPartlyHiddenBehindACarIsPartlyVisible() {
        Scenario low = ScenarioFile.parse("""
                camera: {height: 4.2, fov: 60, view: along}
                time: 12
                weather: overcast
                effects: {noise: 0, blur: 0, shake: 0, distractors: false}
                """, "staged", "staged");
        Scene scene = new Scene(low, 6);
        Camera cam = scene.camera(640, 360);
        double fx = Math.sin(cam.yaw);
        double fy = Math.cos(cam.yaw);
        double d = 16;
        Rng rng = new Rng(9);
        Simulation sim = Simulation.staged(scene);
        Agent person = sim.addStill(ObjectClass.PERSON, PersonLook.random(rng, false, false), cam.x + fx * d,
                cam.y + fy * d, cam.yaw + Math.PI);
        FrameRenderer renderer = new FrameRenderer(scene, 640, 360);

        ObjectTruth alone = find(renderer.render(sim, 1).truth(), person.id);
        assertThat(alone.visibility()).isGreaterThan(0.95);

        double rx = Math.cos(cam.yaw);
        double ry = -Math.sin(cam.yaw);
        Agent car = sim.addStill(ObjectClass.CAR, VehicleLook.car(rng), cam.x + fx * (d - 2.2) + rx * 1.4,
                cam.y + fy * (d - 2.2) + ry * 1.4, cam.yaw + Math.PI / 2);
        ObjectTruth half = find(renderer.render(sim, 2).truth(), person.id);
        assertThat(half.visibility()).isBetween(0.05, 0.9);
        assertThat(half.height()).isLessThan(alone.height());

        sim.addStill(ObjectClass.BUS, VehicleLook.bus(rng), cam.x + fx * (d - 1.8), cam.y + fy * (d - 1.8),
                cam.yaw + Math.PI / 2);
        FrameTruth hidden = renderer.render(sim, 3).truth();
        ObjectTruth behind = find(hidden, person.id);
        assertThat(behind.visibility()).isZero();
        assertThat(behind.visible()).isFalse();
        assertThat(MotFormat.line(hidden, behind)).matches("3," + person.id + ",\\d+,\\d+,\\d+,\\d+,0,0,0\\.0000");
        assertThat(find(hidden, car.id)).isNotNull();
    }

    private static ObjectTruth find(FrameTruth truth, int id) {
        return truth.objects().stream().filter(o -> o.id() == id).findFirst()
                .orElseThrow(() -> new AssertionError("object " + id + " not in the ground truth"));
    }
}
