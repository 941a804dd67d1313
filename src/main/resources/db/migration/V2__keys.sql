-- The key ring (package keys): the gateway's own signing keys and the encryption key upstream
-- providers encrypt ID tokens to. One script for H2 and PostgreSQL: varchar/text and
-- 'timestamp with time zone' only, no vendor types, no partial indexes (H2 has none).
--
-- Life of a key: inserted as 'next' (published, not yet used) or directly 'active' on first start;
-- next -> active -> retired (published or usable for decryption only, for a grace period) -> removed
-- (the row is deleted); any of next/active/retired -> revoked (compromised: never published, never used).
CREATE TABLE signing_key (
    kid varchar(64) NOT NULL,
    alg varchar(20) NOT NULL,
    key_use varchar(3) NOT NULL,
    state varchar(10) NOT NULL,
    -- Equal to alg while the key is active, NULL otherwise. Its unique index makes the database itself
    -- guarantee at most one active key per algorithm, even when two nodes of a cluster generate keys at
    -- the same first start (the loser's insert fails and it reloads the winner's key).
    active_alg varchar(20) DEFAULT NULL,
    -- The public JWK (kid, use, alg, x5c), published as is.
    public_jwk text NOT NULL,
    -- base64(IV || AES-256-GCM(master key, private JWK JSON, associated data = kid)): a row's
    -- ciphertext copied onto another kid does not decrypt.
    private_key text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    activated_at timestamp with time zone DEFAULT NULL,
    retire_at timestamp with time zone DEFAULT NULL,
    retired_at timestamp with time zone DEFAULT NULL,
    -- Incremented by every update, which names the version it read (compare-and-swap between nodes).
    version integer DEFAULT 0 NOT NULL,
    PRIMARY KEY (kid),
    -- CASE rather than IN (...) or OR-ed equalities: H2 2.4.240 turns those into a constant set bound to
    -- the session that ran this script, and once that connection closes every insert fails the check
    -- ("The database has been closed", h2database issues 4292 and 4308).
    CONSTRAINT signing_key_alg_use CHECK (CASE alg WHEN 'RS256' THEN key_use = 'sig'
                                                   WHEN 'PS256' THEN key_use = 'sig'
                                                   WHEN 'ES256' THEN key_use = 'sig'
                                                   WHEN 'RSA-OAEP-256' THEN key_use = 'enc'
                                                   ELSE FALSE END),
    CONSTRAINT signing_key_state CHECK (CASE state WHEN 'next' THEN TRUE
                                                   WHEN 'active' THEN TRUE
                                                   WHEN 'retired' THEN TRUE
                                                   WHEN 'revoked' THEN TRUE
                                                   ELSE FALSE END),
    -- "IS NOT NULL" because a CHECK passes when it evaluates to unknown, as "active_alg = alg" would for NULL.
    CONSTRAINT signing_key_active_alg CHECK ((state = 'active' AND active_alg IS NOT NULL AND active_alg = alg)
                                          OR (state <> 'active' AND active_alg IS NULL))
);
CREATE UNIQUE INDEX signing_key_one_active_per_alg ON signing_key (active_alg);
