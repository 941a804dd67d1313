-- The background purge (package retention, issue 15): every table that grows with the logins loses its
-- expired rows in small batches, each batch found through an index.

-- Package issuer: when an authorization may go, i.e. when the last of its tokens (code, access, ID,
-- refresh) expires; a row without tokens yet (pushed request, consent question) a day after its save.
-- Written by JdbcAuthorizationStore on every save; one column instead of four, so one index finds them.
ALTER TABLE oauth2_authorization ADD COLUMN expires_at timestamp with time zone DEFAULT NULL;
-- Rows written before: the latest of their token expiries (GREATEST over non-NULL values: both H2 and
-- PostgreSQL take the epoch for a missing token here), or a day from now when they hold none.
UPDATE oauth2_authorization SET expires_at = CASE
    WHEN authorization_code_expires_at IS NULL AND access_token_expires_at IS NULL
         AND oidc_id_token_expires_at IS NULL AND refresh_token_expires_at IS NULL
        THEN CURRENT_TIMESTAMP + INTERVAL '1' DAY
    ELSE GREATEST(COALESCE(authorization_code_expires_at, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'),
                  COALESCE(access_token_expires_at, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'),
                  COALESCE(oidc_id_token_expires_at, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'),
                  COALESCE(refresh_token_expires_at, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'))
    END;
CREATE INDEX oauth2_authorization_expiry ON oauth2_authorization (expires_at);

-- Package broker: a used login record goes a minute after its use, long before it expires.
CREATE INDEX login_transaction_consumed ON login_transaction (consumed_at);

-- Package consent: receipts go after passerelle.retention.data-releases (by time, not per citizen).
CREATE INDEX data_release_time ON data_release (released_at);

-- Package audit: events go after passerelle.retention.audit-events (index audit_event_time of V3). From
-- this version the application deletes old audit events: grant its role DELETE on audit_event too, or
-- set passerelle.retention.audit-events to 0 and archive the table by other means.
