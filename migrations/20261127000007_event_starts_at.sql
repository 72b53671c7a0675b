-- Each event's instant. The wall-clock date, time and zone stay the source of
-- truth (that is what people type and read); `starts_at` is derived from them
-- by a trigger on every write, so "upcoming" and "past" filters and ordering
-- use an index instead of converting every event's local time per request.
-- (A generated column cannot do this: AT TIME ZONE with a zone name is not
-- immutable, since time-zone rules change. The hourly clean-up re-derives
-- future events' instants so a tzdata update reaches them too.)
ALTER TABLE events ADD COLUMN starts_at timestamptz;
UPDATE events SET starts_at = (event_date + event_time) AT TIME ZONE time_zone;
ALTER TABLE events ALTER COLUMN starts_at SET NOT NULL;

CREATE FUNCTION events_derive_starts_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.starts_at := (NEW.event_date + NEW.event_time) AT TIME ZONE NEW.time_zone;
    RETURN NEW;
END
$$;

CREATE TRIGGER events_starts_at
    BEFORE INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_derive_starts_at();

-- A club's events in time order; the community count of upcoming public events.
CREATE INDEX idx_events_club_starts ON events (club_id, starts_at);
CREATE INDEX idx_events_public_starts ON events (starts_at) WHERE is_public;
-- Superseded by the two above: nothing filters on the local date any more.
DROP INDEX idx_events_club_date;
DROP INDEX idx_events_date;
