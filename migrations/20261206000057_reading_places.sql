-- Where a reader is within a book, between finished sections: a page or a
-- percentage, one or the other, shown beside their progress (unless they
-- keep their progress to themself).
SET LOCAL ROLE bookwork_owner;


CREATE TABLE public.reading_places (
    book_id    uuid NOT NULL,
    club_id    uuid NOT NULL,
    user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    page       integer CONSTRAINT reading_places_page CHECK (page BETWEEN 1 AND 99999),
    percent    smallint CONSTRAINT reading_places_percent CHECK (percent BETWEEN 0 AND 100),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (book_id, user_id),
    CONSTRAINT reading_places_one_kind CHECK ((page IS NULL) <> (percent IS NULL)),
    FOREIGN KEY (book_id, club_id) REFERENCES public.books (id, club_id) ON DELETE CASCADE
);
CREATE INDEX reading_places_club ON public.reading_places (club_id);
CREATE INDEX reading_places_user ON public.reading_places (user_id);

-- Row security: the club's people (and site staff) read them; each reader
-- writes their own, in their own clubs.
ALTER TABLE public.reading_places ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.reading_places FORCE ROW LEVEL SECURITY;
CREATE POLICY reading_places_read ON public.reading_places FOR SELECT USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY reading_places_own ON public.reading_places FOR ALL
    USING (user_id = (SELECT bookwork_private.viewer()))
    WITH CHECK (user_id = (SELECT bookwork_private.viewer())
                AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[]));
CREATE POLICY owner_reading_places ON public.reading_places TO bookwork_owner USING (true) WITH CHECK (true);
