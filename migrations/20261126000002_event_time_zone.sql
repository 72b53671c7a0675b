-- An event's date and time are wall-clock values in the club's time zone; keep
-- the zone with them so the instant is unambiguous and can be shown in each
-- viewer's own zone. Existing rows are taken as UTC.
ALTER TABLE events
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';

-- Per-club default zone for new events.
ALTER TABLE clubs
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
