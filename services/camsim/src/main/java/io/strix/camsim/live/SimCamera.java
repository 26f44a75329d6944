package io.strix.camsim.live;

import io.strix.camsim.motion.Simulation;
import io.strix.camsim.render.FrameRenderer;
import io.strix.camsim.render.FrameSize;
import io.strix.camsim.render.RenderedFrame;
import io.strix.camsim.scenario.Scenario;
import io.strix.camsim.world.Scene;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A simulated camera: renders its scene frame by frame at a fixed rate, with ground truth. {@link #next()} renders the
 * next frame as fast as it can (videos, datasets, tests); {@link #awaitNext()} first waits until that frame is due on
 * the wall clock, so the camera runs in real time like a live stream. Frame n (from 0) shows the world n / fps seconds
 * after the start and carries the capture time start + n / fps.
 *
 * <p>Deterministic: the same scenario, seed, size and fps give the same frames and ground truth. Not thread-safe; a
 * frame's image is reused by the next one.
 */
public final class SimCamera {
    private final Scene scene;
    private final Simulation simulation;
    private final FrameRenderer renderer;
    private final double fps;
    private final FrameSize size;
    private final Clock clock;
    private final Instant start;
    private long sequence;

    public SimCamera(Scenario scenario, long seed, FrameSize size, double fps) {
        this(scenario, seed, size, fps, Clock.systemUTC());
    }

    public SimCamera(Scenario scenario, long seed, FrameSize size, double fps, Clock clock) {
        if (!(fps > 0 && fps <= 120)) {
            throw new IllegalArgumentException("fps must be above 0 and at most 120, got " + fps);
        }
        this.scene = new Scene(scenario, seed);
        this.simulation = new Simulation(scene);
        this.renderer = new FrameRenderer(scene, size.width(), size.height());
        this.fps = fps;
        this.size = size;
        this.clock = clock;
        this.start = clock.instant();
    }

    /** A camera for a {@code sim://SCENARIO?seed=N&fps=F&size=WxH} URL. */
    public static SimCamera open(String url) {
        SimUrl u = SimUrl.parse(url);
        return new SimCamera(u.scenario(), u.seed(), u.size(), u.fps());
    }

    public Scene scene() {
        return scene;
    }

    public double fps() {
        return fps;
    }

    public FrameSize size() {
        return size;
    }

    public Duration frameInterval() {
        return Duration.ofNanos(Math.round(1e9 / fps));
    }

    /** Renders the next frame now. */
    public SimFrame next() {
        long n = sequence++;
        if (n > 0) {
            simulation.step(1.0 / fps);
        }
        RenderedFrame frame = renderer.render(simulation, n + 1);
        Instant capture = start.plusNanos(Math.round(n * 1e9 / fps));
        return new SimFrame(n, capture, simulation.time(), frame);
    }

    /** Waits until the next frame is due (start + n / fps), then renders it. */
    public SimFrame awaitNext() throws InterruptedException {
        Instant due = start.plusNanos(Math.round(sequence * 1e9 / fps));
        long waitMillis = Duration.between(clock.instant(), due).toMillis();
        if (waitMillis > 0) {
            Thread.sleep(waitMillis);
        }
        return next();
    }

    @Override
    public String toString() {
        return "sim camera " + scene + ", " + size + " at " + fps + " fps";
    }
}
