-- Date polls: an organiser proposes 2–12 dates and times (wall-clock, in the
-- poll's zone: the club's when it was opened); members answer each yes / if
-- need be / no, and everyone in the club sees the grid. "Plan the meeting"
-- turns an option into an event and links the two.
SET LOCAL ROLE bookwork_owner;

ALTER TABLE polls
    -- The zone a date poll's options are written in.
    ADD COLUMN time_zone text,
    ADD COLUMN place     varchar(255),
    -- The book the meeting will be about, when the organiser chose one.
    ADD COLUMN book_id   uuid REFERENCES books (id) ON DELETE SET NULL,
    -- The meeting planned from it (and then the poll is closed).
    ADD COLUMN event_id  uuid UNIQUE REFERENCES events (id) ON DELETE SET NULL,
    ADD CONSTRAINT polls_date_zone CHECK ((kind = 'date') = (time_zone IS NOT NULL));
CREATE INDEX polls_book ON polls (book_id) WHERE book_id IS NOT NULL;

ALTER TABLE poll_options
    ADD COLUMN starts_on   date,
    ADD COLUMN starts_time time,
    ADD CONSTRAINT poll_options_book_or_date CHECK (
        (book_id IS NOT NULL AND starts_on IS NULL AND starts_time IS NULL)
        OR (book_id IS NULL AND starts_on IS NOT NULL AND starts_time IS NOT NULL)),
    ADD CONSTRAINT poll_options_one_date UNIQUE (poll_id, starts_on, starts_time),
    -- So that an answer's option and poll can be checked to belong together.
    ADD CONSTRAINT poll_options_of_poll UNIQUE (poll_id, id);

CREATE TABLE date_answers (
    option_id   uuid NOT NULL,
    -- The option's poll, for row security and for "has answered" (and the
    -- option must be that poll's).
    poll_id     uuid NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answer      text NOT NULL CHECK (answer IN ('yes', 'maybe', 'no')),
    answered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (option_id, user_id),
    FOREIGN KEY (poll_id, option_id) REFERENCES poll_options (poll_id, id) ON DELETE CASCADE
);
CREATE INDEX date_answers_poll ON date_answers (poll_id, user_id);
CREATE INDEX date_answers_user ON date_answers (user_id);

-- Not secret inside the club (the grid shows everyone's answers); written
-- only by their author, while a voter of the poll's club.
ALTER TABLE date_answers ENABLE ROW LEVEL SECURITY;
ALTER TABLE date_answers FORCE ROW LEVEL SECURITY;
CREATE POLICY date_answers_read ON date_answers FOR SELECT
    USING (EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll_id));
CREATE POLICY date_answers_own ON date_answers FOR ALL
    USING (user_id = (SELECT bookwork_private.viewer()))
    WITH CHECK (user_id = (SELECT bookwork_private.viewer())
                AND EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll_id
                              AND p.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('member'))::uuid[])));
CREATE POLICY owner_date_answers ON date_answers TO bookwork_owner USING (true) WITH CHECK (true);
-- Reports count answers; who said what stays with the club.
REVOKE SELECT ON date_answers FROM bookwork_readonly;
GRANT SELECT (poll_id, option_id, answer, answered_at) ON date_answers TO bookwork_readonly;

-- "Has not answered yet" covers both kinds of poll now.
CREATE OR REPLACE FUNCTION bookwork_private.poll_voters_to_tell(poll uuid, actor uuid) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT ARRAY(
        SELECT m.user_id FROM public.club_members m JOIN public.polls p ON p.club_id = m.club_id
         WHERE p.id = poll AND m.is_active AND m.role IN ('member', 'moderator', 'admin')
           AND m.user_id IS DISTINCT FROM actor
           AND NOT EXISTS (SELECT 1 FROM public.ballots b WHERE b.poll_id = p.id AND b.user_id = m.user_id)
           AND NOT EXISTS (SELECT 1 FROM public.date_answers a WHERE a.poll_id = p.id AND a.user_id = m.user_id))
$$;

-- Notices say which kind of poll it is ("rank the books" or "say which dates
-- suit you").
CREATE OR REPLACE FUNCTION bookwork_private.poll_payload(poll uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT jsonb_build_object(
        'poll_id', p.id, 'poll_title', p.title, 'poll_kind', p.kind, 'club_id', c.id, 'club_name', c.name,
        'starts_at', p.closes_at, 'event_zone', c.time_zone)
      FROM public.polls p JOIN public.clubs c ON c.id = p.club_id
     WHERE p.id = poll
$$;
