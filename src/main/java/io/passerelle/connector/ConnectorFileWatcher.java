package io.passerelle.connector;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Calls {@link ConnectorReload#poll()} every {@code passerelle.connectors.reload-interval} (never when it is 0),
 * so that a connector file added, changed or removed on a node applies there without a restart (each node
 * watches its own copy of the files, as each reads them at start). A poll rather than a file-system watch for
 * the portals' reasons (see {@code portal.PortalFileWatcher}): mounted and network folders, ConfigMaps swapped
 * by a symbolic link. A thread of its own: a reload never waits behind the scheduler's other jobs.
 */
public final class ConnectorFileWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConnectorFileWatcher.class);

    private final ConnectorReload reload;
    private final Duration interval;
    private @Nullable ScheduledExecutorService executor;

    public ConnectorFileWatcher(ConnectorReload reload, Duration interval) {
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
            log.info("Connector files are read at start only (passerelle.connectors.reload-interval: 0)");
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("connector-file-watcher").daemon().factory());
        started.scheduleWithFixedDelay(this::poll, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        executor = started;
        log.info("Connector files are looked at every {}", interval);
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            executor = null;
            // Not shutdownNow: an interrupted file read would be reported as a refused connector file.
            running.shutdown();
            try {
                if (!running.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("The connector file watcher did not stop within 5 s; leaving its daemon thread behind");
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
            log.warn("Connector files could not be looked at; the running connectors stay, tried again in {}", interval, e);
        }
    }
}
