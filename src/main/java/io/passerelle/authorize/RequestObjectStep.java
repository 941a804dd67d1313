package io.passerelle.authorize;

import java.util.function.Consumer;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

/**
 * OIDC Core 6.1 and 6.2: Passerelle does not accept request objects ({@code request_parameter_supported:
 * false} in discovery; a portal pushes its parameters with PAR instead). A request that carries one is
 * refused with {@code request_not_supported} rather than served without the parameters it may hold,
 * signed or not ({@code alg: none} included). {@code request_uri} is accepted only as PAR's, which the
 * server resolves before these steps run.
 */
final class RequestObjectStep implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (AuthorizeStep.request(context).getAdditionalParameters().containsKey("request")) {
            throw AuthorizeStep.refuse("request_not_supported",
                    "request objects are not supported: push the parameters with PAR", null, context);
        }
    }
}
