package io.passerelle.portal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Calls {@link PortalReload#poll()} every {@code passerelle.portals.reload-interval} (never when it is 0), so that a portal file
 * added, changed or removed on a node applies there without a restart (each node watches its own copy of
 * the files, as each reads them at start).
 *
 * <p>A poll, not a file-system watch service: a watch misses changes on network and container-mounted
 * folders (a ConfigMap is swapped by a symbolic link) and would need this poll behind it anyway; listing a
 * dozen files' sizes and times every few seconds costs nothing. A thread of its own, as the key ring's: a
 * reload never waits behind the scheduler's other jobs.
 */
public final class PortalFileWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PortalFileWatcher.class);

    private final PortalReload reload;
    private final Duration interval;
    private @Nullable ScheduledExecutorService executor;

    public PortalFileWatcher(PortalReload reload, Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the watch interval must be 0 (off) or positive, not " + interval);
        }
        this.reload = reload;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        if (interval.isZero()) {
            log.info("Portal files are read at start only (passerelle.portals.reload-interval: 0)");
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("portal-file-watcher").daemon().factory());
        started.scheduleWithFixedDelay(this::poll, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        executor = started;
        log.info("Portal files are looked at every {}", interval);
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            executor = null;
            // Not shutdownNow: an interrupted file read would be reported as a refused portal file.
            running.shutdown();
            try {
                if (!running.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("The portal file watcher did not stop within 5 s; leaving its daemon thread behind");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /** One poll; never throws, or the executor would cancel every later one. */
    private void poll() {
        try {
            reload.poll();
        } catch (RuntimeException e) {
            log.warn("Portal files could not be looked at; the running portals stay, tried again in {}", interval, e);
        }
    }
}
