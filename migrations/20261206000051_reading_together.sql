-- Reading together: a club splits the book it reads into sections, each
-- with a target date; members mark the sections they have finished; each
-- section has a discussion whose comments are shown only to those who have
-- finished it (or ask to see them anyway).
SET LOCAL ROLE bookwork_owner;

-- Sections name their club as well as their book, so that row security and
-- the comments' keys can check the club without a join.
ALTER TABLE public.books ADD CONSTRAINT books_id_club UNIQUE (id, club_id);

CREATE TABLE public.reading_sections (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id     uuid NOT NULL,
    book_id     uuid NOT NULL,
    title       text NOT NULL
                CONSTRAINT reading_sections_title CHECK (btrim(title) <> '' AND char_length(title) <= 120),
    target_date date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- When its title or date last changed: calendars take the newer entry.
    updated_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (book_id, club_id) REFERENCES public.books (id, club_id) ON DELETE CASCADE,
    CONSTRAINT reading_sections_id_club UNIQUE (id, club_id)
);
-- A book's schedule in order: by target date, then in the order added.
CREATE INDEX reading_sections_book ON public.reading_sections (book_id, target_date, created_at);
CREATE INDEX reading_sections_club ON public.reading_sections (club_id);

-- "I have finished this section": one row per reader and section.
CREATE TABLE public.reading_marks (
    section_id uuid NOT NULL,
    club_id    uuid NOT NULL,
    user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    marked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (section_id, user_id),
    FOREIGN KEY (section_id, club_id) REFERENCES public.reading_sections (id, club_id) ON DELETE CASCADE
);
CREATE INDEX reading_marks_user ON public.reading_marks (user_id, club_id);
CREATE INDEX reading_marks_club ON public.reading_marks (club_id);

-- A reader who keeps their progress to themself (per club).
CREATE TABLE public.reading_privacy (
    club_id    uuid NOT NULL REFERENCES public.clubs (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    hidden_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (club_id, user_id)
);
CREATE INDEX reading_privacy_user ON public.reading_privacy (user_id);

-- A section's discussion. A deleted comment keeps its place (its replies
-- stay) but loses its text; an edited one says when. A reply is in its
-- parent's section (the key says so), so it is hidden exactly when the
-- comment it answers is.
CREATE TABLE public.comments (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id    uuid NOT NULL,
    section_id uuid NOT NULL,
    author_id  uuid REFERENCES public.users (id) ON DELETE SET NULL,
    parent_id  uuid,
    body       text NOT NULL
               CONSTRAINT comments_body_length CHECK (char_length(body) <= 10000),
    created_at timestamptz NOT NULL DEFAULT now(),
    edited_at  timestamptz,
    deleted_at timestamptz,
    -- Counts edits: an edit names the revision it started from, so of two
    -- edits made from the same text the second is refused, not lost.
    revision   integer NOT NULL DEFAULT 0,
    CONSTRAINT comments_deleted_have_no_text CHECK ((deleted_at IS NULL) = (btrim(body) <> '')),
    CONSTRAINT comments_id_section UNIQUE (id, section_id),
    FOREIGN KEY (section_id, club_id) REFERENCES public.reading_sections (id, club_id) ON DELETE CASCADE,
    FOREIGN KEY (parent_id, section_id) REFERENCES public.comments (id, section_id) ON DELETE CASCADE
);
CREATE INDEX comments_section ON public.comments (section_id, created_at);
CREATE INDEX comments_club ON public.comments (club_id);
CREATE INDEX comments_author ON public.comments (author_id);
CREATE INDEX comments_parent ON public.comments (parent_id);

-- Row security. The schedule is seen by whoever sees the club's shelf and
-- set by its moderators, admins and owner (and site admins). Marks and
-- privacy are each reader's own to write; the club's members see the
-- marks (the pages leave out those of readers who hide them). Comments are
-- the members' (and site staff's) to read, and each author's own to write.
ALTER TABLE public.reading_sections ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.reading_sections FORCE ROW LEVEL SECURITY;
CREATE POLICY reading_sections_read ON public.reading_sections FOR SELECT USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff())
    OR coalesce((SELECT c.is_public FROM public.clubs c WHERE c.id = reading_sections.club_id), false));
CREATE POLICY reading_sections_set ON public.reading_sections FOR ALL
    USING (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
           OR (SELECT bookwork_private.viewer_is_site_admin()))
    WITH CHECK (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY owner_reading_sections ON public.reading_sections TO bookwork_owner USING (true) WITH CHECK (true);

ALTER TABLE public.reading_marks ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.reading_marks FORCE ROW LEVEL SECURITY;
CREATE POLICY reading_marks_read ON public.reading_marks FOR SELECT USING (
    user_id = (SELECT bookwork_private.viewer())
    OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY reading_marks_own ON public.reading_marks FOR INSERT WITH CHECK (
    user_id = (SELECT bookwork_private.viewer())
    AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[]));
CREATE POLICY reading_marks_unmark ON public.reading_marks FOR DELETE USING (
    user_id = (SELECT bookwork_private.viewer()));
CREATE POLICY owner_reading_marks ON public.reading_marks TO bookwork_owner USING (true) WITH CHECK (true);

ALTER TABLE public.reading_privacy ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.reading_privacy FORCE ROW LEVEL SECURITY;
CREATE POLICY reading_privacy_read ON public.reading_privacy FOR SELECT USING (
    user_id = (SELECT bookwork_private.viewer())
    OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY reading_privacy_own ON public.reading_privacy FOR INSERT WITH CHECK (
    user_id = (SELECT bookwork_private.viewer())
    AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[]));
CREATE POLICY reading_privacy_unhide ON public.reading_privacy FOR DELETE USING (
    user_id = (SELECT bookwork_private.viewer()));
CREATE POLICY owner_reading_privacy ON public.reading_privacy TO bookwork_owner USING (true) WITH CHECK (true);

ALTER TABLE public.comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.comments FORCE ROW LEVEL SECURITY;
CREATE POLICY comments_read ON public.comments FOR SELECT USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY comments_write ON public.comments FOR INSERT WITH CHECK (
    author_id = (SELECT bookwork_private.viewer())
    AND deleted_at IS NULL AND edited_at IS NULL AND revision = 0
    AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[]));
CREATE POLICY comments_own ON public.comments FOR UPDATE
    USING (author_id = (SELECT bookwork_private.viewer()) AND deleted_at IS NULL)
    WITH CHECK (author_id = (SELECT bookwork_private.viewer()));
CREATE POLICY owner_comments ON public.comments TO bookwork_owner USING (true) WITH CHECK (true);
