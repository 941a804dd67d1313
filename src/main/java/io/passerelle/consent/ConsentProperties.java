package io.passerelle.consent;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code passerelle.consent.*}.
 *
 * @param lifetime how long a citizen's decision for a portal holds before the consent page asks again
 * @param questionTimeout how long the consent page may stay unanswered before its answer is refused
 */
@ConfigurationProperties("passerelle.consent")
public record ConsentProperties(@DefaultValue("180d") Duration lifetime, @DefaultValue("10m") Duration questionTimeout) {

    public ConsentProperties {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("passerelle.consent.lifetime must be positive");
        }
        if (questionTimeout.isNegative() || questionTimeout.isZero()) {
            throw new IllegalArgumentException("passerelle.consent.question-timeout must be positive");
        }
    }
}
