package io.passerelle.keys.admin;

import java.util.Map;

import io.passerelle.portal.StoredPortalData;
import io.passerelle.portal.StoredPortals;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Removing a portal's stored data, the admin API's side of {@code portals remove} (described by
 * {@link AdminOpenApi}). Same callers and actor as the key API; a removal is audited with the reason given.
 */
@RestController
public final class PortalAdminController {

    private static final int MAX_REASON = 500;

    private final StoredPortals portals;

    public PortalAdminController(StoredPortals portals) {
        this.portals = portals;
    }

    /** Body of POST /admin/portals/remove; {@code reason} is required unless {@code dryRun}. */
    public record RemoveRequest(@Nullable String clientId, @Nullable String reason, @Nullable Boolean dryRun) {
    }

    public record RemoveResponse(String clientId, boolean dryRun, boolean removed, int authorizations,
                                 int consentDecisions, int sessionPortals, int serverConsents, int registeredClient) {
        static RemoveResponse of(StoredPortalData data, boolean dryRun) {
            return new RemoveResponse(data.clientId(), dryRun, !dryRun, data.authorizations(), data.consentDecisions(),
                    data.sessionPortals(), data.serverConsents(), data.registeredClient());
        }
    }

    @PostMapping(path = "/admin/portals/remove", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    RemoveResponse remove(@RequestBody RemoveRequest request, @AuthenticationPrincipal Jwt caller) {
        if (request.clientId() == null) {
            throw new IllegalArgumentException("clientId is required: the portal's client_id, e.g. city-portal");
        }
        if (Boolean.TRUE.equals(request.dryRun())) {
            return RemoveResponse.of(portals.count(request.clientId()), true);
        }
        return RemoveResponse.of(portals.remove(request.clientId(), AdminAssertionDecoder.actor(caller),
                reason(request.reason())), false);
    }

    @ExceptionHandler(StoredPortals.UnknownPortalException.class)
    ResponseEntity<Map<String, String>> unknownPortal(StoredPortals.UnknownPortalException e) {
        return error(HttpStatus.NOT_FOUND, "unknown_portal", "Nothing is stored for this client_id");
    }

    @ExceptionHandler(StoredPortals.PortalStillConfiguredException.class)
    ResponseEntity<Map<String, String>> stillConfigured(StoredPortals.PortalStillConfiguredException e) {
        return error(HttpStatus.CONFLICT, "portal_still_configured", "This node still has the portal's file: remove "
                + "it from the clients folder of every node (each lets the portal go within its reload interval), then "
                + "remove the portal's data");
    }

    @ExceptionHandler({IllegalArgumentException.class, HttpMessageNotReadableException.class})
    ResponseEntity<Map<String, String>> badRequest(Exception e) {
        String description = e instanceof IllegalArgumentException ? e.getMessage() : "The body must be a JSON object";
        return error(HttpStatus.BAD_REQUEST, "invalid_request", description);
    }

    private static String reason(@Nullable String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason is required (or dryRun: true): the audit trail records why a "
                    + "portal was removed");
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
