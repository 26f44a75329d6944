package io.strix.aggregator.track;

import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Ground-truth trajectories generated in code, and the detector output a real detector would make of them: box
 * noise, missed detections, low-score detections of partly hidden objects, false positives and skipped frames, at
 * an uneven frame rate.
 */
final class SyntheticScene {
    /** How badly the pretend detector behaves. */
    record Noise(double positionStd, double sizeStd, double missRate, double lowScoreRate, double falsePositivesPerFrame,
                 double skipRate) {
        static Noise realistic() {
            return new Noise(0.02, 0.03, 0.10, 0.15, 0.5, 0.02);
        }

        static Noise none() {
            return new Noise(0, 0, 0, 0, 0, 0);
        }
    }

    private record Walker(long id, int classId, String className, double x0, double y0, double vx, double vy,
                          double w, double h, long bornMillis, long diesMillis) {
        double x(long t) {
            return x0 + vx * (t - bornMillis) / 1000.0;
        }

        double y(long t) {
            return y0 + vy * (t - bornMillis) / 1000.0;
        }

        boolean visible(long t) {
            double x = x(t);
            double y = y(t);
            return t >= bornMillis && t < diesMillis && x > -w / 2 && x + w < 1 + w / 2 && y > 0 && y + h < 1;
        }
    }

    final List<FrameDetections> frames = new ArrayList<>();
    final List<List<MotMetrics.LabelledBox>> truth = new ArrayList<>();

    private SyntheticScene() {
    }

    /** Objects entering at random times and places, walking in random directions. */
    static SyntheticScene randomWalkers(long seed, int objects, long durationMillis, Noise noise) {
        Random random = new Random(seed);
        List<Walker> walkers = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            boolean car = random.nextDouble() < 0.3;
            double w = car ? 0.10 + 0.05 * random.nextDouble() : 0.04 + 0.03 * random.nextDouble();
            double h = car ? 0.08 + 0.04 * random.nextDouble() : 0.12 + 0.08 * random.nextDouble();
            double speed = car ? 0.10 + 0.10 * random.nextDouble() : 0.03 + 0.07 * random.nextDouble();
            double angle = random.nextDouble() * 2 * Math.PI;
            long born = (long) (random.nextDouble() * durationMillis * 0.6);
            long dies = born + 4000 + (long) (random.nextDouble() * durationMillis);
            walkers.add(new Walker(i + 1, car ? 2 : 0, car ? "car" : "person",
                    0.1 + 0.7 * random.nextDouble(), 0.1 + 0.6 * random.nextDouble(),
                    speed * Math.cos(angle), speed * Math.sin(angle) * 0.5, w, h, born, dies));
        }
        return render(walkers, random, durationMillis, noise);
    }

    /**
     * A street: people walk left and right on two pavements and pass each other, cars pass in both directions;
     * every pair on a pavement crosses at some point.
     */
    static SyntheticScene crossing(long seed, long durationMillis, Noise noise) {
        Random random = new Random(seed);
        List<Walker> walkers = new ArrayList<>();
        long id = 1;
        for (long start = 0; start < durationMillis - 6000; start += 1500 + (long) (random.nextDouble() * 1500)) {
            boolean rightwards = (id % 2) == 1;
            boolean car = id % 5 == 0;
            double speed = car ? 0.18 + 0.05 * random.nextDouble() : 0.08 + 0.04 * random.nextDouble();
            double w = car ? 0.14 : 0.05;
            double h = car ? 0.10 : 0.16;
            double lane = car ? (rightwards ? 0.55 : 0.45) : (random.nextBoolean() ? 0.30 : 0.70);
            double y = lane + 0.02 * random.nextDouble();
            double x = rightwards ? 0.0 : 1.0 - w;
            walkers.add(new Walker(id, car ? 2 : 0, car ? "car" : "person", x, y - h,
                    rightwards ? speed : -speed, 0, w, h, start, Long.MAX_VALUE));
            id++;
        }
        return render(walkers, random, durationMillis, noise);
    }

    /**
     * camsim's ground truth as detections: every object at least half visible and at least 100 px² is a true object,
     * seen by a pretend detector with this noise (jitter, misses, low scores, false positives, skipped frames).
     */
    static SyntheticScene camsim(String scenario, long seed, double fps, int frameCount, Noise noise) {
        io.strix.camsim.live.SimCamera camera = new io.strix.camsim.live.SimCamera(
                io.strix.camsim.scenario.Scenarios.builtin(scenario), seed,
                new io.strix.camsim.render.FrameSize(640, 360), fps);
        Random random = new Random(seed);
        SyntheticScene scene = new SyntheticScene();
        for (int seq = 0; seq < frameCount; seq++) {
            io.strix.camsim.truth.FrameTruth truth = camera.next().truth();
            long t = Math.round(seq * 1000 / fps);
            List<MotMetrics.LabelledBox> visible = new ArrayList<>();
            List<Detection> detections = new ArrayList<>();
            for (io.strix.camsim.truth.ObjectTruth object : truth.objects()) {
                if (object.visibility() < 0.5 || object.width() * object.height() < 100) {
                    continue;
                }
                double x = object.x() / 640.0;
                double y = object.y() / 360.0;
                double w = object.width() / 640.0;
                double h = object.height() / 360.0;
                visible.add(new MotMetrics.LabelledBox(object.id(), x, y, w, h));
                if (random.nextDouble() < noise.missRate()) {
                    continue;
                }
                double score = random.nextDouble() < noise.lowScoreRate()
                        ? 0.15 + 0.3 * random.nextDouble()
                        : Math.min(0.99, 0.75 + 0.2 * random.nextDouble());
                detections.add(FrameFixtures.detection(object.objectClass().cocoId(),
                        object.objectClass().toString(),
                        x + w * noise.positionStd() * random.nextGaussian(),
                        y + h * noise.positionStd() * random.nextGaussian(),
                        w * (1 + noise.sizeStd() * random.nextGaussian()),
                        h * (1 + noise.sizeStd() * random.nextGaussian()), score));
            }
            double falsePositives = noise.falsePositivesPerFrame();
            while (random.nextDouble() < falsePositives) {
                falsePositives -= 1;
                detections.add(FrameFixtures.detection(0, "person", random.nextDouble() * 0.9,
                        random.nextDouble() * 0.8, 0.02 + 0.03 * random.nextDouble(), 0.05 + 0.1 * random.nextDouble(),
                        0.3 + 0.4 * random.nextDouble()));
            }
            scene.truth.add(visible);
            scene.frames.add(random.nextDouble() < noise.skipRate()
                    ? FrameFixtures.skipped(seq, t)
                    : FrameFixtures.frame(seq, t, detections));
        }
        return scene;
    }

    private static SyntheticScene render(List<Walker> walkers, Random random, long durationMillis, Noise noise) {
        SyntheticScene scene = new SyntheticScene();
        long seq = 0;
        for (long t = 0; t < durationMillis; t += 70 + random.nextInt(61)) {
            List<MotMetrics.LabelledBox> visible = new ArrayList<>();
            List<Detection> detections = new ArrayList<>();
            for (Walker walker : walkers) {
                if (!walker.visible(t)) {
                    continue;
                }
                visible.add(new MotMetrics.LabelledBox(walker.id(), walker.x(t), walker.y(t), walker.w(), walker.h()));
                if (random.nextDouble() < noise.missRate()) {
                    continue;
                }
                double w = walker.w() * (1 + noise.sizeStd() * random.nextGaussian());
                double h = walker.h() * (1 + noise.sizeStd() * random.nextGaussian());
                double x = walker.x(t) + walker.w() * noise.positionStd() * random.nextGaussian() * 2;
                double y = walker.y(t) + walker.h() * noise.positionStd() * random.nextGaussian();
                double score = random.nextDouble() < noise.lowScoreRate()
                        ? 0.15 + 0.3 * random.nextDouble()
                        : Math.min(0.99, 0.75 + 0.2 * random.nextDouble());
                detections.add(FrameFixtures.detection(walker.classId(), walker.className(), x, y, w, h, score));
            }
            double falsePositives = noise.falsePositivesPerFrame();
            while (random.nextDouble() < falsePositives) {
                falsePositives -= 1;
                detections.add(FrameFixtures.detection(0, "person", random.nextDouble() * 0.9,
                        random.nextDouble() * 0.8, 0.03 + 0.05 * random.nextDouble(), 0.05 + 0.15 * random.nextDouble(),
                        0.3 + 0.4 * random.nextDouble()));
            }
            scene.truth.add(visible);
            scene.frames.add(random.nextDouble() < noise.skipRate()
                    ? FrameFixtures.skipped(seq, t)
                    : FrameFixtures.frame(seq, t, detections));
            seq++;
        }
        return scene;
    }
}
