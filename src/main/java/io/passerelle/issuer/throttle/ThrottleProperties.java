package io.passerelle.issuer.throttle;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on failed client authentications (prefix {@code passerelle.client-auth-throttle}).
 *
 * @param window               how long failures are counted, from the first one of an address or client
 * @param maxFailuresPerAddress failures from one address in a window before that address is refused (429)
 *                             at the client-authenticated endpoints, whatever credentials it sends
 * @param maxFailuresPerClient failures for one client_id (from any address) in a window before each
 *                             address that failed for it is refused for that client until the window ends
 * @param maxTracked           addresses, and client ids, remembered at most (least recently seen forgotten first)
 */
@ConfigurationProperties("passerelle.client-auth-throttle")
public record ThrottleProperties(@DefaultValue("5m") Duration window, @DefaultValue("20") int maxFailuresPerAddress,
                                 @DefaultValue("50") int maxFailuresPerClient, @DefaultValue("10000") int maxTracked) {

    public ThrottleProperties {
        if (window.isNegative() || window.isZero() || maxFailuresPerAddress < 1 || maxFailuresPerClient < 1
                || maxTracked < 1) {
            throw new IllegalArgumentException("passerelle.client-auth-throttle: window and limits must be positive");
        }
    }
}
