-- The club bookshelf: books a club has suggested, will read next, is reading
-- and has read. A book belongs to one club; the same ISBN in one club is one
-- book (kept as ISBN-13, checked by the application).
SET LOCAL ROLE bookwork_owner;

CREATE TABLE books (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id      uuid NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    title        varchar(255) NOT NULL CHECK (btrim(title) <> ''),
    authors      varchar(255) NOT NULL DEFAULT '',
    isbn13       char(13) CHECK (isbn13 ~ '^97[89][0-9]{10}$'),
    cover_url    varchar(2048) CHECK (cover_url LIKE 'https://%'),
    pages        integer CHECK (pages BETWEEN 1 AND 99999),
    description  varchar(2000) NOT NULL DEFAULT '',
    shelf        text NOT NULL DEFAULT 'suggested'
                 CHECK (shelf IN ('suggested', 'up_next', 'reading', 'read')),
    suggested_by uuid REFERENCES users (id) ON DELETE SET NULL,
    added_at     timestamptz NOT NULL DEFAULT now(),
    -- When it went onto its current shelf (the order within a shelf).
    shelved_at   timestamptz NOT NULL DEFAULT now(),
    -- In the club's zone: when the club started and finished reading it.
    started_on   date,
    finished_on  date,
    UNIQUE (club_id, isbn13)
);
CREATE INDEX books_club_shelf ON books (club_id, shelf, shelved_at);
CREATE INDEX books_suggested_by ON books (suggested_by);

-- An event's book may be one from the shelf (the free-text `book` stays for
-- anything else).
ALTER TABLE events ADD COLUMN book_id uuid REFERENCES books (id) ON DELETE SET NULL;
CREATE INDEX events_book ON events (book_id) WHERE book_id IS NOT NULL;

-- Row security, as for the club's other data: whoever may see the club reads
-- its shelf; members (not guests) suggest; the club's moderators and admins
-- (and site admins) change; site moderators may also remove.
ALTER TABLE books ENABLE ROW LEVEL SECURITY;
ALTER TABLE books FORCE ROW LEVEL SECURITY;
CREATE POLICY books_read ON books FOR SELECT
    USING (EXISTS (SELECT 1 FROM public.clubs c WHERE c.id = club_id));
CREATE POLICY books_suggest ON books FOR INSERT WITH CHECK (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids('member'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY books_change ON books FOR UPDATE
    USING (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
           OR (SELECT bookwork_private.viewer_is_site_admin()))
    WITH CHECK (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY books_remove ON books FOR DELETE
    USING (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
           OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY owner_books ON books TO bookwork_owner USING (true) WITH CHECK (true);

-- The free-text "current book" becomes the book the club is reading now.
INSERT INTO books (club_id, title, shelf, shelved_at)
SELECT id, btrim(current_book), 'reading', updated_at
  FROM clubs WHERE btrim(coalesce(current_book, '')) <> '';
ALTER TABLE clubs DROP COLUMN current_book;
