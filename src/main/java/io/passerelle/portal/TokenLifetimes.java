package io.passerelle.portal;

import java.time.Duration;
import java.util.Objects;

/** How long each kind of token issued to portals stays valid (from {@code config/application.yml}). */
public record TokenLifetimes(Duration authorizationCode, Duration accessToken, Duration idToken, Duration refreshToken) {

    public TokenLifetimes {
        requirePositive(authorizationCode, "authorizationCode");
        requirePositive(accessToken, "accessToken");
        requirePositive(idToken, "idToken");
        requirePositive(refreshToken, "refreshToken");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " lifetime must be positive, was " + duration);
        }
    }
}
