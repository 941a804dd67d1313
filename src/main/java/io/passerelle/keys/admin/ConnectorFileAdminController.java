package io.passerelle.keys.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.passerelle.config.ConfigFileException;
import io.passerelle.connector.ConnectorInUseException;
import io.passerelle.connector.ConnectorReload;
import io.passerelle.identity.CitizenDirectory;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A connector's file through the admin API (described by {@link AdminOpenApi}), the portal files' sibling: the
 * same validation as a reload (the connector is built completely), refused whole with the field and the reason,
 * else written into this node's first connectors folder and applied at once. Secured like every {@code /admin/**}
 * call ({@link AdminSecurityConfiguration}). Each node has its own folder: without a shared folder the call goes
 * to every node. Deleting the file deletes nothing stored: citizens' links through the connector stay.
 */
@RestController
public final class ConnectorFileAdminController {

    static final String PATH = "/admin/connectors/{connectorId}";

    private final ConnectorReload reload;
    private final CitizenDirectory citizens;

    public ConnectorFileAdminController(ConnectorReload reload, CitizenDirectory citizens) {
        this.reload = reload;
        this.citizens = citizens;
    }

    /** What the node serves after the call, and any other file the reload refused. */
    public record Applied(String connectorId, List<String> added, List<String> changed, List<String> removed,
                          List<Map<String, String>> refused) {
        static Applied of(String connectorId, ConnectorReload.Outcome outcome) {
            return new Applied(connectorId, outcome.added(), outcome.changed(), outcome.removed(), outcome.refused()
                    .stream().map(e -> Map.of("file", e.file(), "field", e.field(), "reason", e.reason())).toList());
        }
    }

    @PutMapping(path = PATH, consumes = {"application/yaml", MediaType.TEXT_PLAIN_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    Applied put(@PathVariable String connectorId, @RequestBody byte[] file, @AuthenticationPrincipal Jwt caller) {
        return Applied.of(connectorId, reload.write(connectorId, file, AdminAssertionDecoder.actor(caller)));
    }

    /**
     * Deletes the connector's file(s) and reloads; with {@code dryRun=true}, only says which files would go,
     * whether the node serves the connector, which portals would make the removal refused, and whether citizens
     * are linked through it (their links are kept either way).
     */
    @DeleteMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> delete(@PathVariable String connectorId, @RequestParam(defaultValue = "false") boolean dryRun,
                             @AuthenticationPrincipal Jwt caller) {
        return reload.delete(connectorId, AdminAssertionDecoder.actor(caller), dryRun)
                .<ResponseEntity<?>>map(removal -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("connectorId", connectorId);
                    body.put("dryRun", removal.dryRun());
                    body.put("files", removal.files());
                    body.put("served", removal.served());
                    body.put("namedBy", removal.namedBy());
                    body.put("citizensLinked", citizens.linkedConnectors().contains(connectorId));
                    if (removal.outcome() != null) {
                        Applied applied = Applied.of(connectorId, removal.outcome());
                        body.put("added", applied.added());
                        body.put("changed", applied.changed());
                        body.put("removed", applied.removed());
                        body.put("refused", applied.refused());
                    }
                    return ResponseEntity.ok(body);
                })
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "unknown_connector_file",
                        "This node has no file for this connector id", null));
    }

    @ExceptionHandler(ConfigFileException.class)
    ResponseEntity<Map<String, String>> refused(ConfigFileException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_connector_file", e.reason(), e.field());
    }

    @ExceptionHandler(ConnectorInUseException.class)
    ResponseEntity<Map<String, String>> inUse(ConnectorInUseException e) {
        return error(HttpStatus.CONFLICT, "connector_in_use", "Portals still name this connector in their "
                + "allowed_keys: " + String.join("; ", e.users()) + ". Remove it there first; nothing was changed", null);
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
