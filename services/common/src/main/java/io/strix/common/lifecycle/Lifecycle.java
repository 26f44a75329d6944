package io.strix.common.lifecycle;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a service running until SIGTERM or Ctrl-C (or {@link #stop()}), then closes it once and cleanly. */
public final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final String name;
    private final AutoCloseable service;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    public Lifecycle(String name, AutoCloseable service) {
        this.name = name;
        this.service = service;
    }

    /** Blocks until a signal or {@link #stop()} asks the service to stop, then closes it and returns. */
    public void awaitShutdown() throws InterruptedException {
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                // The JVM exits when hooks return: wait for the orderly close in the main thread.
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopRequested.await();
        LOG.info("Stopping {}", name);
        try {
            service.close();
            LOG.info("{} stopped", name);
        } catch (Exception e) {
            LOG.error("{} did not stop cleanly", name, e);
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Expected when a signal started the shutdown.
            }
            LogManager.shutdown();
        }
    }

    /** Asks {@link #awaitShutdown()} to return, as a signal would. */
    public void stop() {
        stopRequested.countDown();
    }
}
