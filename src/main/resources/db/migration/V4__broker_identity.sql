-- Package broker: one row per login in flight. The broker owns all login state; a connector keeps
-- none. A row is consumed once (consumed_at) and is worthless after expires_at.
CREATE TABLE login_transaction (
    state varchar(64) NOT NULL,
    connector_id varchar(100) NOT NULL,
    client_id varchar(100) DEFAULT NULL,
    nonce varchar(64) NOT NULL,
    code_verifier varchar(128) NOT NULL,
    required_loa varchar(16) NOT NULL,
    resume_url varchar(8000) NOT NULL,
    ui_locale varchar(8) NOT NULL,
    browser_binding varchar(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    consumed_at timestamp with time zone DEFAULT NULL,
    PRIMARY KEY (state)
);
CREATE INDEX login_transaction_expiry ON login_transaction (expires_at);

-- Package identity: one citizen across keys. An upstream subject is kept only as an HMAC-SHA256 (with the
-- connector id) under a key derived from the master key, so this table alone does not tell who is who
-- at which provider, even for the eID card whose subject is the national number.
CREATE TABLE citizen (
    id varchar(36) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE citizen_link (
    connector_id varchar(100) NOT NULL,
    subject_hash varchar(64) NOT NULL,
    citizen_id varchar(36) NOT NULL,
    linked_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    PRIMARY KEY (connector_id, subject_hash)
);
CREATE INDEX citizen_link_citizen ON citizen_link (citizen_id);
