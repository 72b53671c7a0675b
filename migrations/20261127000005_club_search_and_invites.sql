-- Discovering clubs: full-text search over name (weighted higher) and
-- description, kept in step by PostgreSQL itself.
ALTER TABLE clubs
    ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'B')
    ) STORED;
CREATE INDEX idx_clubs_search ON clubs USING gin (search);

-- Invitation links to (private) clubs. Only a hash of the link's token is stored.
CREATE TABLE club_invites (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id    uuid NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    token_hash varchar(64) NOT NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    max_uses   integer NOT NULL CHECK (max_uses > 0),
    uses       integer NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
    revoked_at timestamptz,
    CONSTRAINT club_invites_token_hash_key UNIQUE (token_hash),
    CONSTRAINT club_invites_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX idx_club_invites_club ON club_invites (club_id);
