-- The portals each browser session (sid) signed in to, with the pairwise subject each one received:
-- who to tell by back-channel logout when that session ends (OIDC Back-Channel Logout 1.0 2.5). Kept
-- apart from the authorizations, which end earlier (refresh, consent withdrawn) while the portal's own
-- session may still be open. Rows go when the session is signed out, or once no token of it was issued for the purge age.
CREATE TABLE session_portal (
    sid varchar(64) NOT NULL,
    client_id varchar(100) NOT NULL,
    subject varchar(255) NOT NULL,
    principal_name varchar(200) NOT NULL,
    seen_at timestamp NOT NULL,
    PRIMARY KEY (sid, client_id, subject)
);
CREATE INDEX session_portal_principal ON session_portal (principal_name);
CREATE INDEX session_portal_seen ON session_portal (seen_at);
