package io.passerelle.keys;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every node's tick: rotate whatever is due (once across the cluster, see {@link KeyRotation}) and re-read
 * the key table. Changes made by other nodes reach this one sooner, through {@link KeyRingWatcher}.
 * Runs where scheduling is enabled (the gateway; not the {@code keys} CLI).
 */
public final class KeyRotationJob {

    private static final Logger log = LoggerFactory.getLogger(KeyRotationJob.class);

    private final KeyRotation rotation;

    public KeyRotationJob(KeyRotation rotation) {
        this.rotation = rotation;
    }

    /**
     * The placeholder repeats {@link KeyProperties#schedulerInterval()}'s default because annotations cannot
     * read a bound record; both accept the same formats (5m, PT5M, 300s).
     */
    @Scheduled(fixedDelayString = "${passerelle.keys.scheduler-interval:" + KeyProperties.DEFAULT_SCHEDULER_INTERVAL + "}",
            initialDelayString = "${passerelle.keys.scheduler-interval:" + KeyProperties.DEFAULT_SCHEDULER_INTERVAL + "}")
    public void tick() {
        try {
            List<KeyChange> changes = rotation.runSchedule();
            if (!changes.isEmpty()) {
                log.info("Scheduled key rotation: {}", changes);
            }
        } catch (RuntimeException e) {
            // The next tick tries again; the ring keeps serving its last good snapshot meanwhile. ERROR because
            // a rotation that keeps failing ends with a key past its period or its certificate.
            log.error("Scheduled key rotation failed; the key ring keeps its current keys", e);
        }
    }
}
