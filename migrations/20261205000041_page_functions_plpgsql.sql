-- The three private functions a poll's page calls become PL/pgSQL, with the
-- same answers.
--
-- PostgreSQL 15 plans the body of a LANGUAGE sql function that it cannot
-- inline (these are SECURITY DEFINER) again on every statement that calls
-- it; PL/pgSQL keeps its plans for the connection's life. Profiled under
-- load, `poll_rankings` alone cost 0.6 ms per poll page, most of it
-- planning; as PL/pgSQL, with who may see the ballots decided once rather
-- than for each ballot, it costs 0.05 ms.
SET LOCAL ROLE bookwork_owner;

-- A poll's club, when the viewer may see that club (as before).
CREATE OR REPLACE FUNCTION bookwork_private.poll_club(poll uuid) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN (SELECT p.club_id FROM public.polls p JOIN public.clubs c ON c.id = p.club_id
             WHERE p.id = poll
               AND (c.is_public OR c.id = ANY (bookwork_private.viewer_club_ids())
                    OR bookwork_private.viewer_is_staff()));
END
$$;

-- Every counted ballot of a poll, without names (as before): for people of
-- its club and site staff, and for anyone when the poll of a public club
-- shows its results. Whether the viewer may is worked out once, by the
-- scalar subquery, not for each ballot.
CREATE OR REPLACE FUNCTION bookwork_private.poll_rankings(poll uuid) RETURNS SETOF uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    SELECT b.ranking FROM public.ballots b
      JOIN public.club_members m ON m.user_id = b.user_id AND m.is_active
                                AND m.role IN ('member', 'moderator', 'admin')
      JOIN public.users u ON u.id = b.user_id AND u.is_active
     WHERE b.poll_id = poll
       AND m.club_id = (
           SELECT p.club_id FROM public.polls p JOIN public.clubs c ON c.id = p.club_id
            WHERE p.id = poll
              AND (p.club_id = ANY (bookwork_private.viewer_club_ids())
                   OR bookwork_private.viewer_is_staff()
                   OR (c.is_public AND (p.results_live OR p.closed_at IS NOT NULL
                                        OR p.closes_at <= now()))));
END
$$;

-- A date poll's answers counted per date (as before), for whoever may see
-- the poll's club.
CREATE OR REPLACE FUNCTION bookwork_private.date_poll_counts(poll uuid)
RETURNS TABLE (option_id uuid, yes bigint, maybe bigint, no bigint, people bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    IF bookwork_private.poll_club(poll) IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
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
     WHERE o.poll_id = poll
     GROUP BY o.id;
END
$$;

-- A club's books that are options of a poll, and whether of one still open,
-- for whoever may see the club: the shelf's two facts about every book in
-- one call. (As `EXISTS` over `poll_options` in each row, row security
-- nested the policies of options, polls and clubs into a plan of some 130
-- subplans, all set up again on every shelf page.)
CREATE FUNCTION bookwork_private.club_polled_books(club uuid)
RETURNS TABLE (book_id uuid, open boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.clubs c
                    WHERE c.id = club
                      AND (c.is_public OR c.id = ANY (bookwork_private.viewer_club_ids())
                           OR c.owner_id = bookwork_private.viewer()
                           OR bookwork_private.viewer_is_staff())) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT o.book_id, bool_or(p.closed_at IS NULL AND p.closes_at > now())
      FROM public.poll_options o JOIN public.polls p ON p.id = o.poll_id
     WHERE p.club_id = club AND o.book_id IS NOT NULL
     GROUP BY o.book_id;
END
$$;

REVOKE ALL ON FUNCTION bookwork_private.club_polled_books(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.club_polled_books(uuid) TO bookwork_app;

-- The polls of a club the viewer has voted in (a ballot) or answered (a date
-- poll): the club page's "you voted" for every poll in one call, of the
-- viewer's own rows only. (As `EXISTS` over `date_answers` in each row, row
-- security nested the policies of answers, polls and clubs into the page's
-- plan.)
CREATE FUNCTION bookwork_private.viewer_voted_polls(club uuid) RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    me uuid := bookwork_private.viewer();
BEGIN
    IF me IS NULL THEN
        RETURN '{}';
    END IF;
    RETURN ARRAY(
        SELECT b.poll_id FROM public.ballots b JOIN public.polls p ON p.id = b.poll_id
         WHERE p.club_id = club AND b.user_id = me
        UNION
        SELECT a.poll_id FROM public.date_answers a JOIN public.polls p ON p.id = a.poll_id
         WHERE p.club_id = club AND a.user_id = me);
END
$$;

REVOKE ALL ON FUNCTION bookwork_private.viewer_voted_polls(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.viewer_voted_polls(uuid) TO bookwork_app;
