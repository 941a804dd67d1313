package io.passerelle.authorize;

import java.util.Set;
import java.util.function.Consumer;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

/**
 * OIDC Core 3.1.2.1: {@code prompt=none} must not be combined with any other value; such a request is
 * refused with {@code invalid_request} before anything is shown.
 */
final class PromptStep implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        String prompt = AuthorizeStep.parameter(context, "prompt");
        if (prompt == null) {
            return;
        }
        Set<String> values = new java.util.HashSet<>(java.util.Arrays.asList(prompt.trim().split("\\s+")));
        if (values.contains("none") && values.size() > 1) {
            throw AuthorizeStep.refuse(OAuth2ErrorCodes.INVALID_REQUEST, "prompt=none cannot be combined with other values",
                    null, context);
        }
    }
}
