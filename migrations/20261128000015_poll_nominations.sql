-- Nominations: an organiser may open a book poll with a nomination phase,
-- in which members put books forward (at most `nomination_cap` each) before
-- anyone ranks them; the organiser then starts the voting.
SET LOCAL ROLE bookwork_owner;

ALTER TABLE polls
    ADD COLUMN nominating     boolean NOT NULL DEFAULT false,
    ADD COLUMN nomination_cap smallint NOT NULL DEFAULT 2 CHECK (nomination_cap BETWEEN 1 AND 10),
    ADD CONSTRAINT polls_nominating_books CHECK (NOT nominating OR kind = 'book');

-- Who put an option forward (none: the organiser chose it when opening).
ALTER TABLE poll_options ADD COLUMN nominated_by uuid REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX poll_options_nominated_by ON poll_options (nominated_by) WHERE nominated_by IS NOT NULL;

-- Members add their own nominations while the poll takes them.
CREATE POLICY poll_options_nominate ON poll_options FOR INSERT
    WITH CHECK (nominated_by = (SELECT bookwork_private.viewer())
                AND EXISTS (SELECT 1 FROM public.polls p JOIN public.books b ON b.club_id = p.club_id
                             WHERE p.id = poll_options.poll_id AND b.id = poll_options.book_id AND p.nominating
                               AND p.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('member'))::uuid[])));

-- Holds a poll for one nomination (FOR UPDATE: nominations to one poll go
-- one at a time, so a member's cap holds when they press twice, and
-- "start voting" waits for nominations under way), for a member of its
-- club. Returns whether it still takes nominations, and its cap.
CREATE FUNCTION bookwork_private.lock_poll_for_nomination(poll uuid)
RETURNS TABLE (taking boolean, cap smallint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    SELECT p.nominating AND p.closed_at IS NULL AND p.closes_at > now(), p.nomination_cap
      FROM public.polls p
     WHERE p.id = poll
       AND p.club_id = ANY (bookwork_private.viewer_club_ids('member'))
       FOR UPDATE;
END
$$;
REVOKE EXECUTE ON FUNCTION bookwork_private.lock_poll_for_nomination(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.lock_poll_for_nomination(uuid) TO bookwork_app;
