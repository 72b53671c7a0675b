-- Bookwork schema: the reference guide's seven tables, with the defects listed
-- in DESIGN.md section 4 fixed:
--   * every timestamp is timestamptz;
--   * no CHECK compares a row with the current date or time (such checks make
--     old rows un-updatable and break pg_dump restores); "not in the past" is
--     enforced by the application when an event is created;
--   * no index duplicates a UNIQUE constraint;
--   * events carry no attendees array: availability is the one source of truth;
--   * no seeded accounts: the first admin is created by `bookwork create-admin`.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$;

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          varchar(255) NOT NULL,
    email         varchar(255) NOT NULL,
    password_hash varchar(255) NOT NULL,
    phone         varchar(20),
    avatar        varchar(500),
    role          varchar(20) NOT NULL DEFAULT 'member'
                  CHECK (role IN ('admin', 'moderator', 'member', 'guest')),
    is_active     boolean NOT NULL DEFAULT true,
    last_login_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT check_email_format
        CHECK (email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$')
);
CREATE INDEX idx_users_role ON users (role);
CREATE INDEX idx_users_active ON users (is_active) WHERE is_active;
CREATE INDEX idx_users_last_login ON users (last_login_at);
CREATE TRIGGER update_users_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE clubs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name              varchar(255) NOT NULL,
    description       text,
    owner_id          uuid REFERENCES users (id) ON DELETE SET NULL,
    is_public         boolean NOT NULL DEFAULT false,
    max_members       integer CHECK (max_members > 0),
    meeting_frequency varchar(50),
    current_book      varchar(255),
    location          varchar(255),
    tags              text[] NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_clubs_owner ON clubs (owner_id);
CREATE INDEX idx_clubs_public ON clubs (is_public) WHERE is_public;
CREATE INDEX idx_clubs_name ON clubs (name);
CREATE INDEX idx_clubs_tags ON clubs USING gin (tags);
CREATE TRIGGER update_clubs_updated_at
    BEFORE UPDATE ON clubs
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE club_members (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id     uuid NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        varchar(20) NOT NULL DEFAULT 'member'
                CHECK (role IN ('admin', 'moderator', 'member', 'guest')),
    joined_date timestamptz NOT NULL DEFAULT now(),
    books_read  integer NOT NULL DEFAULT 0 CHECK (books_read >= 0),
    is_active   boolean NOT NULL DEFAULT true,
    CONSTRAINT club_members_club_id_user_id_key UNIQUE (club_id, user_id)
);
-- (club_id, user_id) is covered by the unique constraint's index.
CREATE INDEX idx_club_members_user_id ON club_members (user_id);
CREATE INDEX idx_club_members_active ON club_members (club_id, is_active) WHERE is_active;
CREATE INDEX idx_club_members_role ON club_members (club_id, role);

CREATE TABLE events (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id       uuid NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    title         varchar(255) NOT NULL,
    description   text,
    event_date    date NOT NULL,
    event_time    time NOT NULL,
    location      varchar(255) NOT NULL,
    book          varchar(255),
    type          varchar(50) NOT NULL DEFAULT 'discussion'
                  CHECK (type IN ('discussion', 'meeting', 'social', 'planning', 'other')),
    max_attendees integer CHECK (max_attendees > 0),
    is_public     boolean NOT NULL DEFAULT false,
    created_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- (club_id) alone is covered by the (club_id, event_date) index.
CREATE INDEX idx_events_club_date ON events (club_id, event_date);
CREATE INDEX idx_events_date ON events (event_date);
CREATE INDEX idx_events_type ON events (type);
CREATE INDEX idx_events_created_by ON events (created_by);
CREATE TRIGGER update_events_updated_at
    BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE event_items (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name        varchar(255) NOT NULL,
    category    varchar(50) NOT NULL DEFAULT 'other'
                CHECK (category IN ('agenda', 'task', 'material', 'note', 'other')),
    assigned_to uuid REFERENCES users (id) ON DELETE SET NULL,
    status      varchar(20) NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'in_progress', 'completed', 'cancelled')),
    notes       text,
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- (event_id) alone is covered by the (event_id, status) index.
CREATE INDEX idx_event_items_event_status ON event_items (event_id, status);
CREATE INDEX idx_event_items_assigned_to ON event_items (assigned_to);
CREATE INDEX idx_event_items_status ON event_items (status);
CREATE INDEX idx_event_items_category ON event_items (category);
CREATE TRIGGER update_event_items_updated_at
    BEFORE UPDATE ON event_items
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE availability (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id   uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status     varchar(20) NOT NULL CHECK (status IN ('available', 'unavailable', 'maybe')),
    notes      text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT availability_event_id_user_id_key UNIQUE (event_id, user_id)
);
-- (event_id) alone is covered by the unique constraint's index.
CREATE INDEX idx_availability_user_id ON availability (user_id);
CREATE INDEX idx_availability_event_status ON availability (event_id, status);
CREATE TRIGGER update_availability_updated_at
    BEFORE UPDATE ON availability
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE refresh_tokens (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash varchar(255) NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    is_revoked boolean NOT NULL DEFAULT false,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
    -- Compared with the row's own creation time, never with now(): an expired
    -- token must stay revocable and restorable.
    CONSTRAINT check_expires_after_created CHECK (expires_at > created_at)
);
CREATE INDEX idx_refresh_tokens_user_id ON refresh_tokens (user_id);
CREATE INDEX idx_refresh_tokens_expires_at ON refresh_tokens (expires_at);
CREATE INDEX idx_refresh_tokens_active ON refresh_tokens (user_id, expires_at)
    WHERE NOT is_revoked;

-- Deletes refresh tokens that can never be used again. Reads now() rather than
-- storing a rule about it, so it is safe to call from any instance at any time.
CREATE OR REPLACE FUNCTION cleanup_expired_tokens()
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    deleted_count integer;
BEGIN
    DELETE FROM refresh_tokens WHERE expires_at < now() OR is_revoked;
    GET DIAGNOSTICS deleted_count = ROW_COUNT;
    RETURN deleted_count;
END;
$$;
