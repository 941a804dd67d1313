-- Key rotation (package keys): at most one NEXT key per algorithm, guaranteed by the database like the one
-- ACTIVE key is (V2). Two nodes that decide at the same tick to publish a successor both insert one; the
-- unique index lets exactly one insert succeed and the other node reloads the winner's key, so the JWKS
-- never carries two successors for one algorithm.
ALTER TABLE signing_key ADD COLUMN next_alg varchar(20) DEFAULT NULL;
-- Versions before this one never inserted NEXT keys, so there is at most one per algorithm to mark.
UPDATE signing_key SET next_alg = alg WHERE state = 'next';
-- "IS NOT NULL" because a CHECK passes when it evaluates to unknown (same shape as signing_key_active_alg).
ALTER TABLE signing_key ADD CONSTRAINT signing_key_next_alg
    CHECK ((state = 'next' AND next_alg IS NOT NULL AND next_alg = alg) OR (state <> 'next' AND next_alg IS NULL));
CREATE UNIQUE INDEX signing_key_one_next_per_alg ON signing_key (next_alg);
