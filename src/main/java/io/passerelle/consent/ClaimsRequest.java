package io.passerelle.consent;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.util.JSONObjectUtils;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.util.StringUtils;

/**
 * The {@code claims} request parameter (OIDC Core 5.5): the individual claims a portal asks for, for
 * the ID token ({@code id_token}) and/or userinfo ({@code userinfo}), each {@code null} (voluntary) or
 * an object ({@code essential}, {@code value}, {@code values}; 5.5.1). One parser for the login
 * policy (an essential {@code acr}, 5.5.1.1) and for claim release.
 *
 * <p>It is a request, not a grant: what leaves is still limited to the claims of the portal's allowed
 * scopes and to what the citizen consented to ({@link ClaimRelease}, {@link ConsentDecisions}); a
 * claim the portal may not receive is ignored, as 5.5 lets a provider ignore voluntary claims.
 *
 * @param idToken  the claims asked for the ID token, by name, with their requests (empty object for {@code null})
 * @param userInfo the claims asked for userinfo
 */
public record ClaimsRequest(Map<String, Map<String, Object>> idToken, Map<String, Map<String, Object>> userInfo) {

    /** The request parameter's name. */
    public static final String PARAMETER = "claims";
    /** No {@code claims} parameter. */
    public static final ClaimsRequest NONE = new ClaimsRequest(Map.of(), Map.of());

    public ClaimsRequest {
        idToken = Collections.unmodifiableMap(new LinkedHashMap<>(idToken));
        userInfo = Collections.unmodifiableMap(new LinkedHashMap<>(userInfo));
    }

    /**
     * Parses the parameter's value; absent or blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException not a JSON object, {@code id_token} or {@code userinfo} not an
     *                                  object, a claim neither {@code null} nor an object, {@code essential}
     *                                  not a boolean or {@code values} not an array (the portal gets
     *                                  {@code invalid_request})
     */
    public static ClaimsRequest parse(Object parameter) {
        if (!(parameter instanceof String json) || !StringUtils.hasText(json)) {
            return NONE;
        }
        try {
            if (!json.strip().startsWith("{")) {
                // Nimbus reads a top-level array as an empty object: it must be refused, not ignored.
                throw new ParseException("not a JSON object", 0);
            }
            Map<String, Object> parsed = JSONObjectUtils.parse(json);
            return new ClaimsRequest(member(parsed, "id_token"), member(parsed, "userinfo"));
        } catch (ParseException | ClassCastException e) {
            throw new IllegalArgumentException("claims is not a valid claims request (OIDC Core 5.5)", e);
        }
    }

    /** The {@code claims} of the authorization request that created this authorization (validated then). */
    public static ClaimsRequest of(OAuth2Authorization authorization) {
        OAuth2AuthorizationRequest request = authorization == null ? null
                : authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        return request == null ? NONE : parse(request.getAdditionalParameters().get(PARAMETER));
    }

    private static Map<String, Map<String, Object>> member(Map<String, Object> parsed, String name) throws ParseException {
        Map<String, Object> claims = JSONObjectUtils.getJSONObject(parsed, name);
        Map<String, Map<String, Object>> requests = new LinkedHashMap<>();
        if (claims == null) {
            return requests;
        }
        for (Map.Entry<String, Object> claim : claims.entrySet()) {
            Map<String, Object> request = claim.getValue() == null ? Map.of() : JSONObjectUtils.getJSONObject(claims, claim.getKey());
            if (request.containsKey("essential") && !(request.get("essential") instanceof Boolean)
                    || request.containsKey("values") && !(request.get("values") instanceof List<?>)) {
                throw new ParseException("malformed request for claim " + claim.getKey(), 0);
            }
            requests.put(claim.getKey(), request);
        }
        return requests;
    }

    /** Where a token's claims go. */
    public enum Destination { ID_TOKEN, USERINFO }

    /** The claims asked for one destination. */
    public Set<String> askedFor(Destination destination) {
        return (destination == Destination.ID_TOKEN ? idToken : userInfo).keySet();
    }

    /** Every claim named, for either destination. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>(idToken.keySet());
        names.addAll(userInfo.keySet());
        return names;
    }

    /**
     * The values an essential {@code acr} for the ID token accepts ({@code value} and {@code values}),
     * or null when {@code acr} is not asked as essential.
     */
    public List<String> essentialAcrValues() {
        Map<String, Object> acr = idToken.get("acr");
        if (acr == null || !Boolean.TRUE.equals(acr.get("essential"))) {
            return null;
        }
        List<String> values = new ArrayList<>();
        if (acr.get("value") != null) {
            values.add(String.valueOf(acr.get("value")));
        }
        if (acr.get("values") instanceof List<?> list) {
            list.forEach(value -> values.add(String.valueOf(value)));
        }
        return values;
    }
}
