package io.passerelle.authorize;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import io.passerelle.broker.Minors;
import io.passerelle.identity.AttributeSeal;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.portal.PortalConfig;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

/**
 * Minors served? (the portal's {@code minors: refuse}, issue 14; RFC 6749 4.1.2.1 {@code access_denied}). A new
 * sign-in of a minor is refused in the broker; this step refuses the same citizen already signed in in this
 * browser (single sign-on from a portal that serves children), so no portal gets a child it never said it
 * serves. Reads the sealed attributes only for a portal that refuses minors and a signed-in citizen.
 */
public final class MinorsStep implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final Function<String, Optional<PortalConfig>> portals;
    private final AttributeSeal seal;
    private final Clock clock;

    public MinorsStep(Function<String, Optional<PortalConfig>> portals, AttributeSeal seal, Clock clock) {
        this.portals = portals;
        this.seal = seal;
        this.clock = clock;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (!(AuthorizeStep.request(context).getPrincipal() instanceof CitizenAuthentication citizen)) {
            return;
        }
        boolean refuses = portals.apply(context.getRegisteredClient().getClientId())
                .map(portal -> portal.minors() == PortalConfig.Minors.REFUSE).orElse(false);
        if (refuses && Minors.minor(citizen.claims(seal), LocalDate.ofInstant(clock.instant(), Minors.BELGIUM))) {
            throw AuthorizeStep.refuse("access_denied", "this portal does not serve minors (minors: refuse)", null,
                    context);
        }
    }
}
