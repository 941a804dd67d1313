package io.passerelle.issuer;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The one set of security headers every filter chain that can answer a browser applies: the citizen
 * pages, the OAuth endpoints (whose errors render Passerelle's error page through an error dispatch,
 * which carries the headers of the chain that failed, not the citizen chain's) and the demo. Before,
 * only the citizen chain added the content security policy and the referrer policy, so the authorize
 * error page went without them.
 *
 * <p>The policy allows nothing but Passerelle's own resources; it costs JSON answers nothing.
 * X-Content-Type-Options, X-Frame-Options and Cache-Control are Spring's defaults, named here so that
 * no chain can differ by leaving them out.
 */
public final class SecurityHeaders implements Customizer<HeadersConfigurer<HttpSecurity>> {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** Same-origin: a portal never learns from the Referer which page of Passerelle the citizen came from. */
    public static final ReferrerPolicyHeaderWriter.ReferrerPolicy REFERRER_POLICY =
            ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN;

    public static final SecurityHeaders ALL = new SecurityHeaders();

    private SecurityHeaders() {
    }

    @Override
    public void customize(HeadersConfigurer<HttpSecurity> headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(REFERRER_POLICY))
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .contentTypeOptions(Customizer.withDefaults())
                .cacheControl(Customizer.withDefaults());
    }
}
