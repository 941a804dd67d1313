package io.passerelle.keys;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Brings key changes made by any node (rotation, revocation, an operator on another node) into this node's
 * {@link KeyRing} within one {@code passerelle.keys.propagation-interval}, by calling {@link KeyRing#refresh()}
 * that often on a thread of its own.
 *
 * <p>Why a poll and not PostgreSQL's LISTEN/NOTIFY: a notification is lost while the listening connection is
 * down (a restart of the database, a failover, a network cut), so a listener needs this same poll behind it to
 * be correct, and H2 needs the poll anyway. The poll alone is one code path for both databases, tested the same
 * way, and cheap: kid, state and version of a dozen rows, no key material, at most one query per interval per
 * node. What NOTIFY would save is the interval itself, which the 2-second target does not need.
 *
 * <p>A thread of its own rather than Spring's scheduler: the scheduler's pool also runs the rotation tick (key
 * generation takes a while) and other jobs, and a revocation must not wait behind them. The thread is a daemon,
 * started after the context is ready and stopped after the web server (see {@link #getPhase()}), so a node
 * keeps following the table while it drains its last requests.
 */
public final class KeyRingWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyRingWatcher.class);

    private final KeyRing ring;
    private final Duration interval;
    private @Nullable ScheduledExecutorService executor;
    /** Only the first of consecutive failures is an ERROR: the same broken row would otherwise log every second. */
    private volatile boolean failing;

    public KeyRingWatcher(KeyRing ring, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("passerelle.keys.propagation-interval must be positive, not " + interval);
        }
        this.ring = ring;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("key-ring-watcher").daemon().factory());
        // Fixed delay: a slow poll (a busy database) is never overlapped by the next one.
        started.scheduleWithFixedDelay(this::poll, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        executor = started;
        log.info("Key ring follows the key table every {}", interval);
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        if (running == null) {
            return;
        }
        executor = null;
        running.shutdownNow();
        try {
            // A poll in progress is one short query; bounded so a hung database cannot hold the shutdown.
            if (!running.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("The key ring watcher did not stop within 5 s; leaving its daemon thread behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /** Below the web server's phases: started before it serves, stopped only once it has drained its requests. */
    @Override
    public int getPhase() {
        return 0;
    }

    /** One poll; never throws, or the executor would cancel every later one. */
    void poll() {
        try {
            ring.refresh();
            if (failing) {
                log.info("Key ring follows the key table again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.error("Key ring could not read the key table; it keeps its current keys and tries again every {}",
                        interval, e);
                failing = true;
            } else {
                log.debug("Key ring still cannot read the key table", e);
            }
        }
    }
}
