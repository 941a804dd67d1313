package io.passerelle.issuer.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;

/**
 * Counts failed client authentications per address and per client_id, in fixed windows started by
 * the first failure, and says when a request must wait.
 *
 * <p>Two limits, so that an attacker cannot lock the real portal out: an <em>address</em> past its
 * limit is refused whatever it sends (blocks the attacker's machine, not the portal's); a
 * <em>client</em> past its limit only slows guessing down: from then on, each address that already
 * failed for that client in the window is refused for it, so a distributed attacker gets one guess per
 * address per window, while an address that has not failed (the real portal, whose credentials are
 * right) is still let through to authentication. A successful authentication is never refused by the
 * client limit.
 *
 * <p>In memory, bounded by {@link ThrottleProperties#maxTracked()} entries per map (least recently
 * seen forgotten first): with several nodes, each node counts its own failures, so the limits are per
 * node (an attacker spread over N nodes by the load balancer gets up to N times the limits).
 */
public final class ClientAuthThrottle {

    private final ThrottleProperties limits;
    private final Clock clock;
    private final AuditLog audit;
    private final Map<String, Window> addresses;
    private final Map<String, Window> clients;

    public ClientAuthThrottle(ThrottleProperties limits, Clock clock, AuditLog audit) {
        this.limits = limits;
        this.clock = clock;
        this.audit = audit;
        this.addresses = bounded(limits.maxTracked());
        this.clients = bounded(limits.maxTracked());
    }

    /** How long this address must wait before it may try to authenticate as this client again, if it must. */
    public synchronized Optional<Duration> refusal(String address, String clientId) {
        Instant now = clock.instant();
        Window byAddress = current(addresses, address, now);
        if (byAddress != null && byAddress.failures >= limits.maxFailuresPerAddress()) {
            return Optional.of(byAddress.remaining(now));
        }
        Window byClient = clientId == null ? null : current(clients, clientId, now);
        if (byClient != null && byClient.failures >= limits.maxFailuresPerClient()
                && byAddress != null && byAddress.clientIds.contains(clientId)) {
            return Optional.of(Duration.ofSeconds(Math.min(byAddress.remaining(now).toSeconds(),
                    byClient.remaining(now).toSeconds())));
        }
        return Optional.empty();
    }

    /** Records a failed client authentication; the failure that reaches a limit is audited. */
    public void failed(String address, String clientId) {
        boolean addressLimitReached;
        boolean clientLimitReached = false;
        synchronized (this) {
            Instant now = clock.instant();
            Window byAddress = addresses.computeIfAbsent(address, a -> new Window(now));
            if (byAddress.expired(now)) {
                byAddress = new Window(now);
                addresses.put(address, byAddress);
            }
            addressLimitReached = ++byAddress.failures == limits.maxFailuresPerAddress();
            if (clientId != null) {
                // Bounded too: an attacker sends whatever client ids it likes.
                if (byAddress.clientIds.size() < 100) {
                    byAddress.clientIds.add(clientId);
                }
                Window byClient = clients.computeIfAbsent(clientId, c -> new Window(now));
                if (byClient.expired(now)) {
                    byClient = new Window(now);
                    clients.put(clientId, byClient);
                }
                clientLimitReached = ++byClient.failures == limits.maxFailuresPerClient();
            }
        }
        if (addressLimitReached) {
            audit.record(AuditEvent.of(AuditType.CLIENT_AUTHENTICATION_THROTTLED).actor("system").client(clientId)
                    .reason(limits.maxFailuresPerAddress() + " failed client authentications from one address within "
                            + limits.window() + ": the address is refused until the window ends")
                    .detail("address", address).detail("limit", "address"));
        }
        if (clientLimitReached) {
            audit.record(AuditEvent.of(AuditType.CLIENT_AUTHENTICATION_THROTTLED).actor("system").client(clientId)
                    .reason(limits.maxFailuresPerClient() + " failed client authentications for this client within "
                            + limits.window() + ": each address that failed for it waits until the window ends")
                    .detail("address", address).detail("limit", "client"));
        }
    }

    private static Window current(Map<String, Window> windows, String key, Instant now) {
        Window window = windows.get(key);
        return window == null || window.expired(now) ? null : window;
    }

    private static Map<String, Window> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > max;
            }
        };
    }

    private final class Window {
        private final Instant start;
        private int failures;
        private final Set<String> clientIds = new HashSet<>();

        private Window(Instant start) {
            this.start = start;
        }

        private boolean expired(Instant now) {
            return !now.isBefore(start.plus(limits.window()));
        }

        /** Whole seconds until the window ends, at least one (Retry-After counts in seconds). */
        private Duration remaining(Instant now) {
            long millis = Duration.between(now, start.plus(limits.window())).toMillis();
            return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
        }
    }
}
