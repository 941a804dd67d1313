package io.passerelle.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a reload's poll of a folder of operator files (portals, connectors) every interval (never when
 * it is 0), so that a file added, changed or removed on a node applies there without a restart (each
 * node watches its own copy of the files, as each reads them at start).
 *
 * <p>A poll, not a file-system watch service: a watch misses changes on network and container-mounted
 * folders (a ConfigMap is swapped by a symbolic link) and would need this poll behind it anyway; listing a
 * dozen files' sizes and times every few seconds costs nothing. A thread of its own, as the key ring's: a
 * reload never waits behind the scheduler's other jobs.
 */
public final class ConfigFileWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final String files;
    private final String property;
    private final Runnable poll;
    private final Duration interval;
    private @Nullable ScheduledExecutorService executor;

    /**
     * @param files    what is watched, for the log and the thread's name ("portal", "connector")
     * @param property the interval's configuration property, named in the log
     * @param poll     one look at the files, applying what changed
     */
    public ConfigFileWatcher(String files, String property, Runnable poll, Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException(property + " must be 0 (off) or positive, not " + interval);
        }
        this.files = files;
        this.property = property;
        this.poll = poll;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        if (interval.isZero()) {
            log.info("The {} files are read at start only ({}: 0)", files, property);
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(files + "-file-watcher").daemon().factory());
        started.scheduleWithFixedDelay(this::poll, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        executor = started;
        log.info("The {} files are looked at every {}", files, interval);
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            executor = null;
            // Not shutdownNow: an interrupted file read would be reported as a refused file.
            running.shutdown();
            try {
                if (!running.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("The {} file watcher did not stop within 5 s; leaving its daemon thread behind", files);
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
            poll.run();
        } catch (RuntimeException e) {
            log.warn("The {} files could not be looked at; the running ones stay, tried again in {}", files, interval, e);
        }
    }
}
