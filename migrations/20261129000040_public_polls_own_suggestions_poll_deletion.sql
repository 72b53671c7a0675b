-- Three rules of AUTHZ.md ("Books, polls") that row security did not allow:
--
-- * a public club's polls are everyone's to see, as its shelf is: the poll,
--   its options and the counted results once the poll shows them (live, or
--   after the close). Never a ballot, and never who answered which date:
--   that stays with the club's people;
-- * a member edits or removes their own suggestion while it is one (on the
--   suggested shelf) and not an option of an open poll;
-- * a poll can be deleted: by the club's moderators and admins and site
--   admins (as they manage polls), and by site moderators (moderation).
SET LOCAL ROLE bookwork_owner;

-- Polls of a public club, for anyone (a private club's stay its people's).
-- Their options follow (`poll_options_read` asks for a visible poll).
CREATE POLICY polls_read_public ON polls FOR SELECT
    USING (EXISTS (SELECT 1 FROM public.clubs c WHERE c.id = club_id AND c.is_public));

-- Who answered which date is the club's: no longer "whoever sees the poll".
DROP POLICY date_answers_read ON date_answers;
CREATE POLICY date_answers_read ON date_answers FOR SELECT
    USING (EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll_id
                     AND (p.club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
                          OR (SELECT bookwork_private.viewer_is_staff()))));

-- Every counted ballot of a poll, without names: for people of its club (and
-- site staff), whose results the application shows as the poll says; and for
-- anyone when the poll of a public club shows its results (live, or closed).
CREATE OR REPLACE FUNCTION bookwork_private.poll_rankings(poll uuid) RETURNS SETOF uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT b.ranking FROM public.ballots b
      JOIN public.polls p ON p.id = b.poll_id
      JOIN public.clubs c ON c.id = p.club_id
      JOIN public.club_members m ON m.club_id = p.club_id AND m.user_id = b.user_id AND m.is_active
                                AND m.role IN ('member', 'moderator', 'admin')
      JOIN public.users u ON u.id = b.user_id AND u.is_active
     WHERE b.poll_id = poll
       AND (p.club_id = ANY (bookwork_private.viewer_club_ids()) OR bookwork_private.viewer_is_staff()
            OR (c.is_public AND (p.results_live OR p.closed_at IS NOT NULL OR p.closes_at <= now())))
$$;

-- A date poll's answers counted per date (yes, if need be, no) and how many
-- people answered, without names: for anyone who may see the poll. Only the
-- club's current voters count (as for ballots).
CREATE FUNCTION bookwork_private.date_poll_counts(poll uuid)
RETURNS TABLE (option_id uuid, yes bigint, maybe bigint, no bigint, people bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    WITH counted AS (
        SELECT a.option_id, a.user_id, a.answer
          FROM public.date_answers a
          JOIN public.polls p ON p.id = a.poll_id
          JOIN public.club_members m ON m.club_id = p.club_id AND m.user_id = a.user_id AND m.is_active
                                    AND m.role IN ('member', 'moderator', 'admin')
          JOIN public.users u ON u.id = a.user_id AND u.is_active
         WHERE a.poll_id = poll)
    SELECT o.id,
           count(c.user_id) FILTER (WHERE c.answer = 'yes'),
           count(c.user_id) FILTER (WHERE c.answer = 'maybe'),
           count(c.user_id) FILTER (WHERE c.answer = 'no'),
           (SELECT count(DISTINCT user_id) FROM counted)
      FROM public.poll_options o
      LEFT JOIN counted c ON c.option_id = o.id
     WHERE o.poll_id = poll AND bookwork_private.poll_club(poll) IS NOT NULL
     GROUP BY o.id
$$;

-- Whether a book is an option of a poll that is still open (taking
-- nominations or votes).
CREATE FUNCTION bookwork_private.book_in_open_poll(book uuid) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.poll_options o JOIN public.polls p ON p.id = o.poll_id
                    WHERE o.book_id = book AND p.closed_at IS NULL AND p.closes_at > now());
END
$$;

-- A member's own suggestion: changed (it stays theirs, a suggestion, in
-- their club) or removed while it is not in an open poll.
CREATE POLICY books_own_suggestion_change ON books FOR UPDATE
    USING (suggested_by = (SELECT bookwork_private.viewer()) AND shelf = 'suggested'
           AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids('member'))::uuid[])
           AND NOT bookwork_private.book_in_open_poll(id))
    WITH CHECK (suggested_by = (SELECT bookwork_private.viewer()) AND shelf = 'suggested'
                AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids('member'))::uuid[]));
CREATE POLICY books_own_suggestion_remove ON books FOR DELETE
    USING (suggested_by = (SELECT bookwork_private.viewer()) AND shelf = 'suggested'
           AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids('member'))::uuid[])
           AND NOT bookwork_private.book_in_open_poll(id));

-- Site moderators delete polls (moderation); the club's moderators and admins
-- and site admins already may (`polls_manage`). Options, ballots and date
-- answers go with the poll (ON DELETE CASCADE); a meeting planned from it
-- stays (`polls.event_id` points from the poll to the event).
CREATE POLICY polls_moderate ON polls FOR DELETE
    USING ((SELECT bookwork_private.viewer_is_staff()));

-- E-mails about a poll that is being deleted are not sent: for one who may
-- delete it (the club's moderators and admins, site staff). Returns how many
-- were skipped.
CREATE FUNCTION bookwork_private.skip_poll_notices(poll uuid) RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    WITH skipped AS (
        UPDATE public.notifications n SET email_status = 'skipped'
         WHERE n.email_status = 'pending' AND n.payload->>'poll_id' = poll::text
           AND EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll
                         AND (p.club_id = ANY (bookwork_private.viewer_club_ids('moderator'))
                              OR bookwork_private.viewer_is_staff()))
        RETURNING 1)
    SELECT count(*) FROM skipped
$$;

REVOKE EXECUTE ON FUNCTION bookwork_private.date_poll_counts(uuid), bookwork_private.book_in_open_poll(uuid),
    bookwork_private.skip_poll_notices(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.date_poll_counts(uuid), bookwork_private.book_in_open_poll(uuid),
    bookwork_private.skip_poll_notices(uuid) TO bookwork_app;
