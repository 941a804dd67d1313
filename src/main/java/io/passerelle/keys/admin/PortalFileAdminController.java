package io.passerelle.keys.admin;

import java.util.List;
import java.util.Map;

import io.passerelle.config.ConfigFileException;
import io.passerelle.portal.PortalReload;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A portal's file through the admin API, for operators who do not edit files (described by {@link AdminOpenApi}):
 * the same validation as a reload, refused whole with the field and the reason, else written into this node's
 * first clients folder and applied at once. Each node has its own folder: on a cluster without a shared folder
 * the call goes to every node. Deleting the file deletes nothing stored ({@code portals remove} does).
 */
@RestController
public final class PortalFileAdminController {

    static final String PATH = "/admin/portals/{clientId}";

    private final PortalReload reload;

    public PortalFileAdminController(PortalReload reload) {
        this.reload = reload;
    }

    /** What the node serves after the call, and any other file the reload refused. */
    public record Applied(String clientId, List<String> added, List<String> changed, List<String> removed,
                          List<Map<String, String>> refused) {
        static Applied of(String clientId, PortalReload.Outcome outcome) {
            return new Applied(clientId, outcome.added(), outcome.changed(), outcome.removed(), outcome.refused().stream()
                    .map(e -> Map.of("file", e.file(), "field", e.field(), "reason", e.reason())).toList());
        }
    }

    @PutMapping(path = PATH, consumes = {"application/yaml", MediaType.TEXT_PLAIN_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    Applied put(@PathVariable String clientId, @RequestBody byte[] file, @AuthenticationPrincipal Jwt caller) {
        return Applied.of(clientId, reload.write(clientId, file, AdminAssertionDecoder.actor(caller)));
    }

    @DeleteMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> delete(@PathVariable String clientId, @AuthenticationPrincipal Jwt caller) {
        return reload.delete(clientId, AdminAssertionDecoder.actor(caller))
                .<ResponseEntity<?>>map(outcome -> ResponseEntity.ok(Applied.of(clientId, outcome)))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "unknown_portal_file",
                        "This node has no file for this client_id", null));
    }

    @ExceptionHandler(ConfigFileException.class)
    ResponseEntity<Map<String, String>> refused(ConfigFileException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_portal_file", e.reason(), e.field());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage(), null);
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String code, String description,
                                                             String field) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(field == null
                ? Map.of("error", code, "error_description", description)
                : Map.of("error", code, "error_description", description, "field", field));
    }
}
