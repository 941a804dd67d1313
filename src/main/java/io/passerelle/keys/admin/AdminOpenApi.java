package io.passerelle.keys.admin;

/**
 * The OpenAPI 3.1 description of the admin API (keys, audit trail, portal removal), served at {@code /admin/openapi.json}. Written by hand
 * (no springdoc release for Spring Boot 4 in the build); {@code KeyAdminOpenApiTest} checks it is valid JSON
 * and describes exactly the controller's routes.
 */
final class AdminOpenApi {

    private AdminOpenApi() {
    }

    static final String DOCUMENT = """
            {
              "openapi": "3.1.0",
              "info": {
                "title": "Passerelle administration",
                "version": "1",
                "description": "Lists the gateway's signing and encryption keys, rotates them now, revokes one in an emergency. Writes and deletes portal and connector files on this node (applied at once, nothing stored deleted). Removes the stored data of a portal no node serves any more. Every change is an audit event naming the caller (admin client and key id) and the reason given. Reads the audit trail."
              },
              "security": [{"adminAssertion": []}],
              "paths": {
                "/admin/keys": {
                  "get": {
                    "operationId": "listKeys",
                    "summary": "Every key with its state, dates, and the policy in force",
                    "responses": {
                      "200": {"description": "The keys, oldest first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/KeyList"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}
                    }
                  }
                },
                "/admin/keys/rotate": {
                  "post": {
                    "operationId": "rotateNow",
                    "summary": "End every active key's period now",
                    "description": "Successors are published at once and sign once they have been published for jwks-cache-lifetime + scheduler-interval (at once if they already were), so no portal meets an unknown key. To take a key out of use at once, revoke it.",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RotateRequest"}}}},
                    "responses": {
                      "200": {"description": "What changed, and the keys now", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RotateResponse"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"},
                      "401": {"$ref": "#/components/responses/Unauthorized"}
                    }
                  }
                },
                "/admin/keys/revoke": {
                  "post": {
                    "operationId": "revokeKey",
                    "summary": "Emergency revocation of one key",
                    "description": "The key leaves the JWKS and stops signing at once (other nodes within one propagation-interval), is never used again, and tokens it signed are reported inactive by introspection. If it was the active key, a successor every node already publishes takes over: the NEXT key in the same transaction if published at least two propagation intervals ago; otherwise (a new key is generated and published, or the NEXT key is that recent) two propagation intervals later, and the call waits for it (about 2 s by default). Revoking a revoked key changes nothing (changed: false).",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RevokeRequest"}}}},
                    "responses": {
                      "200": {"description": "The revocation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RevokeResponse"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "404": {"description": "No key with this kid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "409": {"description": "The key kept changing under concurrent changes; list and try again", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                  }
                },
                "/admin/portals/remove": {
                  "post": {
                    "operationId": "removePortal",
                    "summary": "Delete the stored data of a portal no node serves any more, or count it (dryRun)",
                    "description": "A node never deletes a portal's data on its own: a portal without a file is only refused and named in the start log. This deletes its authorizations (every token issued to it), citizens' consent decisions, session rows (back-channel logout) and its registration, in one transaction, audited as PORTAL_REMOVED with the counts. What portals received (the citizens' data-release history) and the audit trail are kept. Refused (409) while this node still has the portal's file; remove it from every node first. dryRun: true reports the same counts and deletes nothing.",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RemovePortalRequest"}}}},
                    "responses": {
                      "200": {"description": "What was deleted, or with dryRun what would be", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RemovePortalResponse"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "404": {"description": "Nothing is stored for this client_id (error unknown_portal)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "409": {"description": "This node still has the portal's file (error portal_still_configured)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                  }
                },
                "/admin/portals/{clientId}": {
                  "parameters": [{"name": "clientId", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"}}],
                  "put": {
                    "operationId": "putPortalFile",
                    "summary": "Write a portal's file (config/clients/<clientId>.yml) on this node and serve it at once",
                    "description": "The body is the portal file's YAML, exactly as in config/clients (secrets as ${VARIABLE} references resolved from this node's environment). It is validated as at start; a bad file is refused whole (400 invalid_portal_file with the field) and nothing is written. Otherwise it replaces the file in this node's first clients folder and the node reloads its portal files, audited as PORTAL_RELOADED with the caller. Each node has its own folder: without a shared folder, call every node.",
                    "requestBody": {"required": true, "content": {"application/yaml": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}},
                    "responses": {
                      "200": {"description": "Applied; refused lists other files of the folders the reload refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PortalsApplied"}}}},
                      "400": {"description": "The file does not load (error invalid_portal_file, with field: empty for the whole file) or the clientId is malformed (invalid_request)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}
                    }
                  },
                  "delete": {
                    "operationId": "deletePortalFile",
                    "summary": "Delete a portal's file on this node: the node stops serving the portal at once",
                    "description": "Deletes the portal's file from this node's clients folders and reloads, audited as PORTAL_RELOADED. Nothing stored is deleted (registrations, authorizations, consents): once no node has the file, POST /admin/portals/remove does that.",
                    "responses": {
                      "200": {"description": "Applied", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PortalsApplied"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "404": {"description": "This node has no file for this client_id (error unknown_portal_file)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                  }
                },
                "/admin/connectors/{connectorId}": {
                  "parameters": [{"name": "connectorId", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{1,63}$"}}],
                  "put": {
                    "operationId": "putConnectorFile",
                    "summary": "Write a connector's file (config/connectors/<connectorId>.yml) on this node and serve it at once",
                    "description": "The body is the connector file's YAML, exactly as in config/connectors (secrets as ${VARIABLE} references resolved from this node's environment; key and certificate files named by path on this node). The connector is built completely, as at start; a bad file is refused whole (400 invalid_connector_file with the field), audited as CONNECTOR_CONFIG_REFUSED, and nothing is written. enabled: false is a removal, refused (409 connector_in_use) while a portal's allowed_keys names the connector. Otherwise it replaces the file in this node's first connectors folder and the node reloads its connector files, audited as CONNECTOR_RELOADED with the caller. A login already started through the connector finishes with its new settings. Each node has its own folder: without a shared folder, call every node.",
                    "requestBody": {"required": true, "content": {"application/yaml": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}},
                    "responses": {
                      "200": {"description": "Applied; refused lists other files of the folders the reload refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConnectorsApplied"}}}},
                      "400": {"description": "The file does not load (error invalid_connector_file, with field: empty for the whole file) or the connectorId is malformed (invalid_request)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "409": {"description": "enabled: false while a portal's allowed_keys names the connector (error connector_in_use)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                  },
                  "delete": {
                    "operationId": "deleteConnectorFile",
                    "summary": "Delete a connector's file on this node: the chooser stops showing it at once (or dryRun: say what would happen)",
                    "description": "Deletes the connector's file from this node's connectors folders and reloads, audited as CONNECTOR_RELOADED. Nothing stored is deleted: citizens' links through the connector stay (citizensLinked says whether there are any). A callback for a login started through it gets the citizen's error page. Refused (409 connector_in_use, audited as CONNECTOR_CONFIG_REFUSED) while a portal's allowed_keys names the connector: remove it there first. dryRun=true deletes nothing and reports the files, whether the node serves the connector, the portals naming it (namedBy: non-empty means the deletion would be refused) and citizensLinked.",
                    "parameters": [{"name": "dryRun", "in": "query", "schema": {"type": "boolean", "default": false}}],
                    "responses": {
                      "200": {"description": "Applied, or with dryRun what would happen", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConnectorRemoval"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "404": {"description": "This node has no file for this connector id (error unknown_connector_file)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "409": {"description": "A portal's allowed_keys names the connector (error connector_in_use); nothing deleted", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                  }
                },
                "/admin/audit": {
                  "get": {
                    "operationId": "auditEvents",
                    "summary": "The audit trail: events since a moment, page by page, or every event of one reference code",
                    "description": "Events hold no national number and no token value. Paging: pass each page's next as the following page's since; no event is lost or repeated. A reference is the code a citizen read on an error page.",
                    "parameters": [
                      {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "Inclusive; default 24 hours ago"},
                      {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
                      {"name": "reference", "in": "query", "schema": {"type": "string", "pattern": "^PSL-[A-HJKMNP-Z2-9]{8}$"}, "description": "Alone: not with since or limit"}
                    ],
                    "responses": {
                      "200": {"description": "Events, oldest first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditPage"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"},
                      "401": {"$ref": "#/components/responses/Unauthorized"}
                    }
                  }
                },
                "/admin/openapi.json": {
                  "get": {
                    "operationId": "openApi",
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}
                  }
                }
              },
              "components": {
                "securitySchemes": {
                  "adminAssertion": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A JWT the admin client signs with its private key for each call (like a private_key_jwt client assertion, RFC 7523): header kid and alg of a key in passerelle.admin.jwks (the key's own alg is enforced); claims iss = sub = passerelle.admin.client-id, aud = <issuer>/admin, exp at most 5 minutes ahead, a jti never used before. Without configured admin keys every call is refused."
                  }
                },
                "responses": {
                  "Unauthorized": {"description": "No, an invalid, expired or replayed admin assertion (WWW-Authenticate: Bearer says why)"},
                  "BadRequest": {"description": "A required field is missing or malformed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                },
                "schemas": {
                  "RotateRequest": {
                    "type": "object", "required": ["reason"],
                    "properties": {"reason": {"type": "string", "maxLength": 500, "description": "Why, for the audit trail"}}
                  },
                  "RevokeRequest": {
                    "type": "object", "required": ["kid", "reason"],
                    "properties": {
                      "kid": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
                      "reason": {"type": "string", "maxLength": 500, "description": "Why, for the audit trail"}
                    }
                  },
                  "Key": {
                    "type": "object", "required": ["kid", "alg", "use", "state", "createdAt", "published"],
                    "properties": {
                      "kid": {"type": "string"},
                      "alg": {"type": "string", "enum": ["RS256", "PS256", "ES256", "RSA-OAEP-256"]},
                      "use": {"type": "string", "enum": ["sig", "enc"]},
                      "state": {"type": "string", "enum": ["next", "active", "retired", "revoked"]},
                      "createdAt": {"type": "string", "format": "date-time", "description": "Generated (and, for a next key, published)"},
                      "activatedAt": {"type": "string", "format": "date-time", "description": "Started signing"},
                      "activatesAt": {"type": "string", "format": "date-time", "description": "Next key: the earliest moment it signs"},
                      "rotatesAt": {"type": "string", "format": "date-time", "description": "Active key: when its period ends"},
                      "retiredAt": {"type": "string", "format": "date-time", "description": "Stopped signing, or revoked"},
                      "removeAt": {"type": "string", "format": "date-time", "description": "Retired key: when it leaves the JWKS"},
                      "published": {"type": "boolean", "description": "In the JWKS"}
                    }
                  },
                  "Policy": {
                    "type": "object",
                    "description": "ISO-8601 durations",
                    "properties": {
                      "rotationPeriod": {"type": "string"}, "jwksCacheLifetime": {"type": "string"},
                      "maxTokenLifetime": {"type": "string"}, "schedulerInterval": {"type": "string"},
                      "publishLead": {"type": "string"}, "retiredKeep": {"type": "string"}
                    }
                  },
                  "KeyList": {
                    "type": "object", "required": ["keys", "policy"],
                    "properties": {"keys": {"type": "array", "items": {"$ref": "#/components/schemas/Key"}}, "policy": {"$ref": "#/components/schemas/Policy"}}
                  },
                  "Change": {
                    "type": "object", "required": ["action", "kid", "alg"],
                    "properties": {
                      "action": {"type": "string", "enum": ["published", "activated", "retired", "rotation_requested", "removed", "revoked"]},
                      "kid": {"type": "string"},
                      "alg": {"type": "string"}
                    }
                  },
                  "RotateResponse": {
                    "type": "object", "required": ["changes", "keys"],
                    "properties": {"changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}}, "keys": {"type": "array", "items": {"$ref": "#/components/schemas/Key"}}}
                  },
                  "RevokeResponse": {
                    "type": "object", "required": ["kid", "alg", "previousState", "changed", "changes"],
                    "properties": {
                      "kid": {"type": "string"}, "alg": {"type": "string"},
                      "previousState": {"type": "string", "enum": ["next", "active", "retired", "revoked"]},
                      "changed": {"type": "boolean", "description": "False when the key was already revoked"},
                      "activeKid": {"type": "string", "description": "The key that now signs for alg"},
                      "changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}}
                    }
                  },
                  "RemovePortalRequest": {
                    "type": "object", "required": ["clientId"],
                    "properties": {
                      "clientId": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"},
                      "reason": {"type": "string", "maxLength": 500, "description": "Why, for the audit trail; required unless dryRun"},
                      "dryRun": {"type": "boolean", "default": false, "description": "Count only, delete nothing"}
                    }
                  },
                  "RemovePortalResponse": {
                    "type": "object",
                    "required": ["clientId", "dryRun", "removed", "authorizations", "consentDecisions", "sessionPortals", "serverConsents", "registeredClient"],
                    "properties": {
                      "clientId": {"type": "string"},
                      "dryRun": {"type": "boolean"},
                      "removed": {"type": "boolean", "description": "False in a dry run"},
                      "authorizations": {"type": "integer", "description": "Stored authorizations: codes and tokens issued to the portal"},
                      "consentDecisions": {"type": "integer", "description": "Citizens' consent decisions for the portal"},
                      "sessionPortals": {"type": "integer", "description": "Browser sessions that signed in to the portal"},
                      "serverConsents": {"type": "integer", "description": "The authorization server's own consent rows (normally 0)"},
                      "registeredClient": {"type": "integer", "minimum": 0, "maximum": 1, "description": "The portal's registration row"}
                    }
                  },
                  "AuditEvent": {
                    "type": "object", "required": ["type", "occurredAt", "actor", "details"],
                    "properties": {
                      "type": {"type": "string", "description": "LOGIN_STARTED, UPSTREAM_AUTHENTICATED, LOGIN_FAILED, CODE_ISSUED, TOKENS_ISSUED, GRANT_REVOKED, KEY_GENERATED, KEY_ROTATED, KEY_REVOKED, CONSENT_CHANGED, SCOPE_LIMITED, SIGNED_OUT, LOGOUT_NOTIFIED, LOGOUT_NOTIFICATION_FAILED, CLIENT_AUTHENTICATION_THROTTLED, PORTAL_REMOVED, ERROR_SHOWN, PORTAL_RELOADED, PORTAL_CONFIG_REFUSED, CONNECTOR_RELOADED, CONNECTOR_CONFIG_REFUSED"},
                      "occurredAt": {"type": "string", "format": "date-time"},
                      "actor": {"type": "string"},
                      "clientId": {"type": ["string", "null"]}, "connectorId": {"type": ["string", "null"]},
                      "citizenId": {"type": ["string", "null"], "description": "Passerelle's internal citizen id (never a national number)"},
                      "reference": {"type": ["string", "null"]}, "reason": {"type": ["string", "null"]},
                      "details": {"type": "object", "additionalProperties": {"type": "string"}}
                    }
                  },
                  "AuditPage": {
                    "type": "object", "required": ["events"],
                    "properties": {
                      "events": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEvent"}},
                      "next": {"type": ["string", "null"], "format": "date-time", "description": "since of the following page; null at the end"}
                    }
                  },
                  "PortalsApplied": {
                    "type": "object", "required": ["clientId", "added", "changed", "removed", "refused"],
                    "properties": {
                      "clientId": {"type": "string"},
                      "added": {"type": "array", "items": {"type": "string"}, "description": "Client ids served from now on"},
                      "changed": {"type": "array", "items": {"type": "string"}, "description": "Client ids served with their new file"},
                      "removed": {"type": "array", "items": {"type": "string"}, "description": "Client ids no longer served by this node (their stored data is kept)"},
                      "refused": {"type": "array", "description": "Files the reload refused (their portals keep their running version)", "items": {
                        "type": "object", "required": ["file", "field", "reason"],
                        "properties": {"file": {"type": "string"}, "field": {"type": "string"}, "reason": {"type": "string"}}}}
                    }
                  },
                  "ConnectorsApplied": {
                    "type": "object", "required": ["connectorId", "added", "changed", "removed", "refused"],
                    "properties": {
                      "connectorId": {"type": "string"},
                      "added": {"type": "array", "items": {"type": "string"}, "description": "Connector ids served from now on"},
                      "changed": {"type": "array", "items": {"type": "string"}, "description": "Connector ids served with their new file"},
                      "removed": {"type": "array", "items": {"type": "string"}, "description": "Connector ids no longer served by this node (citizens' links are kept)"},
                      "refused": {"type": "array", "description": "Files or removals the reload refused (their connectors keep their running version)", "items": {
                        "type": "object", "required": ["file", "field", "reason"],
                        "properties": {"file": {"type": "string"}, "field": {"type": "string"}, "reason": {"type": "string"}}}}
                    }
                  },
                  "ConnectorRemoval": {
                    "type": "object", "required": ["connectorId", "dryRun", "files", "served", "namedBy", "citizensLinked"],
                    "properties": {
                      "connectorId": {"type": "string"},
                      "dryRun": {"type": "boolean"},
                      "files": {"type": "array", "items": {"type": "string"}, "description": "The files deleted (or that would be)"},
                      "served": {"type": "boolean", "description": "Whether this node served the connector before the call"},
                      "namedBy": {"type": "array", "items": {"type": "string"}, "description": "Portals whose allowed_keys name the connector, with file and field; a deletion is refused while there are any"},
                      "citizensLinked": {"type": "boolean", "description": "Whether citizens are linked through the connector (their links are kept)"},
                      "added": {"type": "array", "items": {"type": "string"}},
                      "changed": {"type": "array", "items": {"type": "string"}},
                      "removed": {"type": "array", "items": {"type": "string"}},
                      "refused": {"type": "array", "items": {"type": "object", "properties": {"file": {"type": "string"}, "field": {"type": "string"}, "reason": {"type": "string"}}}}
                    }
                  },
                  "Error": {
                    "type": "object", "required": ["error", "error_description"],
                    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}, "field": {"type": "string", "description": "invalid_portal_file, invalid_connector_file: the field at fault (empty for the whole file)"}}
                  }
                }
              }
            }
            """;
}
