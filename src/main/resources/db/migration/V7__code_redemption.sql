-- Package issuer: an authorization code is redeemed once, across every node (RFC 6749 4.1.2, 10.5). The
-- first token request inserts the code's SHA-256; a concurrent one with the same code finds the row and is
-- refused, where the server's read-then-write alone would let both through. Rows go once expired.
CREATE TABLE authorization_code_redemption (
    code_hash varchar(64) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (code_hash)
);
CREATE INDEX authorization_code_redemption_expiry ON authorization_code_redemption (expires_at);
