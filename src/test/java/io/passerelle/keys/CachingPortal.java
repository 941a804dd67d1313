package io.passerelle.keys;

import java.text.ParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * A relying portal as the operator's was: it caches the gateway's JWKS (an hour, so only an unknown kid makes it
 * fetch again) and refetches at once on a kid it does not know, without rate limit. Each fetch goes through the
 * load balancer to the next node in turn, so a refetch may well land on the node that has not caught up yet:
 * stricter than fetching the union of both nodes' JWKS, which would hide a key one node does not publish.
 */
final class CachingPortal {

    private final List<RingNode> nodes;
    private final AtomicInteger fetches = new AtomicInteger();
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    CachingPortal(List<RingNode> nodes) {
        this.nodes = List.copyOf(nodes);
        JWKSetSource<SecurityContext> loadBalancer = new JWKSetSource<>() {
            @Override
            public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context) {
                // What GET /oauth2/jwks returns on that node.
                return CachingPortal.this.nodes.get(fetches.getAndIncrement() % CachingPortal.this.nodes.size())
                        .ring.publicJwks();
            }

            @Override
            public void close() {
                // Nothing held: the nodes' rings belong to the test.
            }
        };
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(loadBalancer)
                .cache(TimeUnit.HOURS.toMillis(1), TimeUnit.SECONDS.toMillis(5))
                .rateLimited(false)
                .retrying(false)
                .outageTolerant(false)
                .refreshAheadCache(false)
                .build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), keys));
    }

    /** Null when the token verifies, otherwise why not. */
    String verify(String token) {
        try {
            processor.process(token, null);
            return null;
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return e.getMessage();
        }
    }

    /** JWKS fetches so far (the first one included). */
    int fetches() {
        return fetches.get();
    }
}
