-- Discussion questions for a meeting: members suggest them, the club's
-- organisers pick and order the ones the meeting will use. A question may
-- be about a section of the book, and is then hidden (as its comments are)
-- from readers who have not finished that section.
SET LOCAL ROLE bookwork_owner;

ALTER TABLE public.events ADD CONSTRAINT events_id_club UNIQUE (id, club_id);

CREATE TABLE public.meeting_questions (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id    uuid NOT NULL,
    event_id   uuid NOT NULL,
    -- The section it is about, if any; a section with questions stays in
    -- the schedule (the removal says so), as one with comments does.
    section_id uuid,
    author_id  uuid REFERENCES public.users (id) ON DELETE SET NULL,
    text       text NOT NULL
               CONSTRAINT meeting_questions_text CHECK (btrim(text) <> '' AND char_length(text) <= 500),
    -- Its place on the meeting's list once picked; none while suggested.
    position   integer CONSTRAINT meeting_questions_position CHECK (position >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (event_id, club_id) REFERENCES public.events (id, club_id) ON DELETE CASCADE,
    FOREIGN KEY (section_id, club_id) REFERENCES public.reading_sections (id, club_id),
    -- One question per place (renumbering within a transaction passes
    -- through duplicates, hence deferred).
    CONSTRAINT meeting_questions_one_per_place UNIQUE (event_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX meeting_questions_club ON public.meeting_questions (club_id);
CREATE INDEX meeting_questions_section ON public.meeting_questions (section_id);
CREATE INDEX meeting_questions_author ON public.meeting_questions (author_id);

-- Row security: the club's people (and site staff) read them; a member
-- suggests in their own name, unpicked, and withdraws their own while it
-- is unpicked; the organisers (and site admins) pick, order and remove.
ALTER TABLE public.meeting_questions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.meeting_questions FORCE ROW LEVEL SECURITY;
CREATE POLICY meeting_questions_read ON public.meeting_questions FOR SELECT USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY meeting_questions_suggest ON public.meeting_questions FOR INSERT WITH CHECK (
    author_id = (SELECT bookwork_private.viewer())
    AND position IS NULL
    AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[]));
CREATE POLICY meeting_questions_withdraw ON public.meeting_questions FOR DELETE USING (
    author_id = (SELECT bookwork_private.viewer()) AND position IS NULL);
CREATE POLICY meeting_questions_arrange ON public.meeting_questions FOR ALL
    USING (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
           OR (SELECT bookwork_private.viewer_is_site_admin()))
    WITH CHECK (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY owner_meeting_questions ON public.meeting_questions TO bookwork_owner USING (true) WITH CHECK (true);
