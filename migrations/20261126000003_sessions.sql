-- Sign-in sessions. Each sign-in starts a family of refresh tokens; every
-- refresh rotates to a new token in the same family. Presenting a token that
-- was already rotated means it was copied: the whole family is revoked.
CREATE TABLE session_families (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    -- Absolute lifetime: rotation never extends a sign-in past this.
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    revoked_reason varchar(40),
    user_agent   varchar(300),
    CONSTRAINT session_families_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX idx_session_families_user ON session_families (user_id) WHERE revoked_at IS NULL;

ALTER TABLE refresh_tokens
    ADD COLUMN family_id uuid REFERENCES session_families (id) ON DELETE CASCADE,
    -- Set when the token is exchanged for its successor.
    ADD COLUMN used_at timestamptz;
CREATE INDEX idx_refresh_tokens_family ON refresh_tokens (family_id);

-- Failed sign-in and sign-up attempts, for rate limiting across instances
-- (nothing lives in process memory). `key` is 'account:<email>' or 'client:<ip>'.
CREATE TABLE auth_attempts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key        varchar(320) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_auth_attempts_key_time ON auth_attempts (key, created_at);
