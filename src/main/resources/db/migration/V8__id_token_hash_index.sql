-- Package issuer: ID tokens are now stored as "sha256:<hex>" with their protocol claims only
-- (MinimisedIdTokens), so the column can be short and indexed: a logout's id_token_hint and an
-- introspection without token_type_hint no longer scan the table. Rows written before keep no ID token
-- (the whole token, with the citizen's claims, is dropped): their logout then works without a hint.
UPDATE oauth2_authorization SET oidc_id_token_value = NULL, oidc_id_token_issued_at = NULL,
    oidc_id_token_expires_at = NULL, oidc_id_token_metadata = NULL
    WHERE oidc_id_token_value IS NOT NULL AND oidc_id_token_value NOT LIKE 'sha256:%';
ALTER TABLE oauth2_authorization ALTER COLUMN oidc_id_token_value SET DATA TYPE varchar(100);
CREATE INDEX oauth2_authorization_id_token ON oauth2_authorization (oidc_id_token_value);
