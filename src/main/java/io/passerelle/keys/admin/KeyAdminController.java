package io.passerelle.keys.admin;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.passerelle.keys.KeyChange;
import io.passerelle.keys.KeyPolicy;
import io.passerelle.keys.KeyRevocation;
import io.passerelle.keys.KeyRotation;
import io.passerelle.keys.KeyStatus;
import io.passerelle.keys.UnknownKeyException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The key admin API, described by {@link AdminOpenApi} (served at {@value #OPENAPI_PATH}). The caller is
 * the admin assertion's client and key (see {@link AdminAssertionDecoder#actor}); every change is an audit
 * event with that actor and the reason given.
 */
@RestController
public final class KeyAdminController {

    static final String OPENAPI_PATH = "/admin/openapi.json";
    /** kids are 22 base64url characters here; other tools may use longer ones, never other characters. */
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_\\-.]{1,64}");
    private static final int MAX_REASON = 500;

    private final KeyRotation rotation;

    public KeyAdminController(KeyRotation rotation) {
        this.rotation = rotation;
    }

    /** Body of POST /admin/keys/rotate. */
    public record RotateRequest(@Nullable String reason) {
    }

    /** Body of POST /admin/keys/revoke. */
    public record RevokeRequest(@Nullable String kid, @Nullable String reason) {
    }

    /** A change as the API reports it; {@code action} lower-case like the states. */
    public record Change(String action, String kid, String alg) {
        static List<Change> of(List<KeyChange> changes) {
            return changes.stream()
                    .map(c -> new Change(c.action().name().toLowerCase(Locale.ROOT), c.kid(), c.alg())).toList();
        }
    }

    /** The policy in force, so that the dates in the listing can be understood. */
    public record Policy(String rotationPeriod, String jwksCacheLifetime, String maxTokenLifetime,
                         String schedulerInterval, String publishLead, String retiredKeep) {
        static Policy of(KeyPolicy p) {
            return new Policy(p.rotationPeriod().toString(), p.jwksCacheLifetime().toString(),
                    p.maxTokenLifetime().toString(), p.schedulerInterval().toString(), p.publishLead().toString(),
                    p.retiredKeep().toString());
        }
    }

    public record KeyList(List<KeyStatus> keys, Policy policy) {
    }

    public record RotateResponse(List<Change> changes, List<KeyStatus> keys) {
    }

    public record RevokeResponse(String kid, String alg, String previousState, boolean changed,
                                 @Nullable String activeKid, List<Change> changes) {
        static RevokeResponse of(KeyRevocation r) {
            return new RevokeResponse(r.kid(), r.alg(), r.previousState(), r.changed(), r.activeKid(), Change.of(r.changes()));
        }
    }

    @GetMapping(path = "/admin/keys", produces = MediaType.APPLICATION_JSON_VALUE)
    KeyList list() {
        return new KeyList(rotation.list(), Policy.of(rotation.policy()));
    }

    @PostMapping(path = "/admin/keys/rotate", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    RotateResponse rotate(@RequestBody RotateRequest request, @AuthenticationPrincipal Jwt caller) {
        List<KeyChange> changes = rotation.rotateNow(AdminAssertionDecoder.actor(caller), reason(request.reason()));
        return new RotateResponse(Change.of(changes), rotation.list());
    }

    @PostMapping(path = "/admin/keys/revoke", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    RevokeResponse revoke(@RequestBody RevokeRequest request, @AuthenticationPrincipal Jwt caller) {
        if (request.kid() == null || !KID.matcher(request.kid()).matches()) {
            throw new IllegalArgumentException("kid is required: the kid of the key to revoke, as listed by GET /admin/keys");
        }
        return RevokeResponse.of(rotation.revoke(request.kid(), AdminAssertionDecoder.actor(caller), reason(request.reason())));
    }

    @GetMapping(path = OPENAPI_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    String openApi() {
        return AdminOpenApi.DOCUMENT;
    }

    @ExceptionHandler(UnknownKeyException.class)
    ResponseEntity<Map<String, String>> unknownKey(UnknownKeyException e) {
        return error(HttpStatus.NOT_FOUND, "unknown_key", "No key with this kid (never existed, or removed at the end of its life)");
    }

    @ExceptionHandler({IllegalArgumentException.class, HttpMessageNotReadableException.class})
    ResponseEntity<Map<String, String>> badRequest(Exception e) {
        String description = e instanceof IllegalArgumentException ? e.getMessage() : "The body must be a JSON object";
        return error(HttpStatus.BAD_REQUEST, "invalid_request", description);
    }

    /** Only {@link KeyRotation#revoke} throws it here: the key kept changing under concurrent changes. */
    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<Map<String, String>> conflict(IllegalStateException e) {
        return error(HttpStatus.CONFLICT, "conflict", "The key changed during the request; list the keys and try again");
    }

    private static String reason(@Nullable String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason is required: the audit trail records why keys changed");
        }
        if (reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("reason is limited to " + MAX_REASON + " characters");
        }
        return reason.strip();
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String code, String description) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", code, "error_description", description));
    }
}
