-- Package identity: one citizen across keys. A connector that verified the national number links the
-- person on it; only an HMAC-SHA256 of the number (key derived from the master key) is kept.
CREATE TABLE citizen_national_number (
    number_hash varchar(64) NOT NULL,
    citizen_id varchar(36) NOT NULL,
    linked_at timestamp with time zone NOT NULL,
    PRIMARY KEY (number_hash)
);
CREATE INDEX citizen_national_number_citizen ON citizen_national_number (citizen_id);

-- Package consent: what a citizen decided for a portal. One row per (citizen, portal): a new decision
-- replaces the old one; withdrawing deletes it. Claim names are space-separated Passerelle claim names.
CREATE TABLE consent (
    citizen_id varchar(200) NOT NULL,
    client_id varchar(100) NOT NULL,
    granted_claims varchar(2000) NOT NULL,
    refused_claims varchar(2000) NOT NULL,
    granted_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (citizen_id, client_id)
);

-- Package consent: what a portal received, when and at which level (the citizen's account page).
-- Append-only; the values themselves are never stored, only the claim names.
CREATE TABLE data_release (
    id varchar(36) NOT NULL,
    citizen_id varchar(200) NOT NULL,
    client_id varchar(100) NOT NULL,
    claims varchar(2000) NOT NULL,
    loa varchar(16) NOT NULL,
    released_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX data_release_citizen ON data_release (citizen_id, released_at);
