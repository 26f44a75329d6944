package io.strix.camsim;

import io.strix.camsim.live.SimCamera;
import io.strix.camsim.render.FrameSize;
import io.strix.camsim.scenario.Scenarios;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import java.util.List;
import java.util.Locale;

/**
 * {@code strix camsim bench}: how fast one thread renders live frames (simulation step, render, ground truth) for
 * each built-in scenario, and the one-off cost of setting a scene up.
 */
public final class BenchCommand implements StrixCommand {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Measure single-thread render speed (ms a frame) of the built-in scenarios.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CamsimKeys.SIZE, CamsimKeys.FPS, CamsimKeys.FRAMES, CamsimKeys.SEED);
    }

    @Override
    public int run(Config config) {
        FrameSize size = config.get(CamsimKeys.SIZE);
        int frames = config.get(CamsimKeys.FRAMES);
        double fps = config.get(CamsimKeys.FPS);
        System.out.printf(Locale.ROOT, "camsim bench: %s, %s fps, %d frames a scenario, one thread%n", size,
                RenderCommand.fmt(fps), frames);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%-10s %10s %10s %10s %10s %12s %9s%n", "scenario", "setup ms", "ms/frame",
                "p95 ms", "frames/s", "cpu ms/frame", "objects");
        double total = 0;
        double totalCpu = 0;
        int count = 0;
        for (String name : List.of("street", "crossing", "parking", "night")) {
            long t0 = System.nanoTime();
            SimCamera camera = new SimCamera(Scenarios.builtin(name), config.get(CamsimKeys.SEED), size, fps);
            double setup = (System.nanoTime() - t0) / 1e6;
            for (int i = 0; i < 20; i++) {
                camera.next();
            }
            double[] times = new double[frames];
            long objects = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < frames; i++) {
                long s = System.nanoTime();
                objects += camera.next().truth().objects().size();
                times[i] = (System.nanoTime() - s) / 1e6;
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / frames;
            double mean = java.util.Arrays.stream(times).average().orElse(0);
            double[] sorted = times.clone();
            java.util.Arrays.sort(sorted);
            double p95 = sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * 0.95))];
            System.out.printf(Locale.ROOT, "%-10s %10.0f %10.2f %10.2f %10.1f %12.2f %9.1f%n", name, setup, mean, p95,
                    1000 / mean, cpu, objects / (double) frames);
            total += mean;
            totalCpu += cpu;
            count++;
        }
        System.out.printf(Locale.ROOT, "mean %.2f ms a frame wall clock, %.2f ms CPU (%.0f frames/s on one free core)%n",
                total / count, totalCpu / count, 1000 / (totalCpu / count));
        return 0;
    }
}
