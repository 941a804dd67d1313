-- Package broker: the one record of a login in flight (issue 12). Everything a login needs between the
-- portal's authorization request and its code: the request to resume, what it demands of the sign-in,
-- the chosen key with the upstream state, nonce and PKCE verifier, the consent question waiting, and
-- its expiry; bound to the browser by the hash of an opaque cookie, so that any node serves any step.
-- Replaces login_transaction, which this version no longer writes (kept for nodes of the previous
-- version during a rolling upgrade; its rows expire within the login timeout).
CREATE TABLE login_in_flight (
    id varchar(64) NOT NULL,
    browser_hash varchar(64) NOT NULL,
    request_key varchar(64) NOT NULL,
    client_id varchar(100) DEFAULT NULL,
    resume_url text NOT NULL,
    redirect_uri varchar(2048) DEFAULT NULL,
    portal_state varchar(2048) DEFAULT NULL,
    required_loa varchar(16) NOT NULL,
    idp_hint varchar(2048) DEFAULT NULL,
    max_age bigint DEFAULT NULL,
    prompt varchar(2048) DEFAULT NULL,
    ui_locales varchar(2048) DEFAULT NULL,
    login_hint varchar(2048) DEFAULT NULL,
    connector_id varchar(100) DEFAULT NULL,
    upstream_state varchar(64) DEFAULT NULL,
    nonce varchar(64) DEFAULT NULL,
    code_verifier varchar(128) DEFAULT NULL,
    ui_locale varchar(8) DEFAULT NULL,
    upstream_at timestamp with time zone DEFAULT NULL,
    consent_citizen varchar(36) DEFAULT NULL,
    consent_claims varchar(4000) DEFAULT NULL,
    consent_expires_at timestamp with time zone DEFAULT NULL,
    consent_answered_at timestamp with time zone DEFAULT NULL,
    failure_reason varchar(64) DEFAULT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX login_in_flight_upstream_state ON login_in_flight (upstream_state);
CREATE INDEX login_in_flight_request ON login_in_flight (browser_hash, request_key);
CREATE INDEX login_in_flight_expiry ON login_in_flight (expires_at);
