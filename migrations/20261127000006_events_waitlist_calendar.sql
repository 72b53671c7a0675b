-- Events: cancellation, RSVP waitlist, viewer time zones, calendar feeds.

-- A cancelled event stays listed (marked as cancelled) so members see what
-- happened to it; deleting removes it with its items and answers.
ALTER TABLE events ADD COLUMN cancelled_at timestamptz;

-- Waitlist. `arrival` orders the answers of an event: an answer takes a new
-- number from a sequence each time it becomes "available", while the event
-- row is locked, so the order of numbers is the order in which the answers
-- were accepted. Someone who says "available" when the event is full is
-- `waitlisted`; the first by arrival is promoted when a place frees.
CREATE SEQUENCE availability_arrival_seq;
ALTER TABLE availability
    ADD COLUMN arrival bigint NOT NULL DEFAULT nextval('availability_arrival_seq'),
    ADD COLUMN waitlisted boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT availability_waitlist_needs_available
        CHECK (NOT waitlisted OR status = 'available');
ALTER SEQUENCE availability_arrival_seq OWNED BY availability.arrival;
CREATE INDEX idx_availability_waitlist ON availability (event_id, arrival) WHERE waitlisted;

-- The zone a member reads times in (IANA name); NULL shows each event in its
-- own zone.
ALTER TABLE users ADD COLUMN time_zone text;

-- Personal calendar feeds: one secret URL per user, stored only as a SHA-256
-- hash. Resetting the link replaces the row, so the old URL stops working.
CREATE TABLE calendar_feeds (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT calendar_feeds_token_hash_key UNIQUE (token_hash)
);
