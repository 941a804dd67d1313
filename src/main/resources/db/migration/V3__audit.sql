-- Audit events (package audit): append-only. The application has no update or delete path for this
-- table; in production grant the application role INSERT and SELECT only on it.
CREATE TABLE audit_event (
    id varchar(36) NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    event_type varchar(64) NOT NULL,
    actor varchar(200) NOT NULL,
    client_id varchar(100) DEFAULT NULL,
    connector_id varchar(100) DEFAULT NULL,
    citizen_id varchar(200) DEFAULT NULL,
    reference varchar(32) DEFAULT NULL,
    reason varchar(500) DEFAULT NULL,
    details varchar(4000) DEFAULT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX audit_event_time ON audit_event (occurred_at);
CREATE INDEX audit_event_reference ON audit_event (reference);
CREATE INDEX audit_event_citizen ON audit_event (citizen_id, occurred_at);
