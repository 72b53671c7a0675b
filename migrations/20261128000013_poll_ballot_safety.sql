-- Ballots stay secret from reports too, and count only while their voter
-- is still one of the club's voters.
SET LOCAL ROLE bookwork_owner;

-- Reports may count ballots, never read a ranking (row security here keys
-- on `app.user_id`, which any login can set for itself).
REVOKE SELECT ON ballots FROM bookwork_readonly;
GRANT SELECT (poll_id, cast_at) ON ballots TO bookwork_readonly;

-- A member who left (or was removed, or made a guest) no longer counts.
CREATE OR REPLACE FUNCTION bookwork_private.poll_rankings(poll uuid) RETURNS SETOF uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT b.ranking FROM public.ballots b
      JOIN public.polls p ON p.id = b.poll_id
      JOIN public.club_members m ON m.club_id = p.club_id AND m.user_id = b.user_id AND m.is_active
                                AND m.role IN ('member', 'moderator', 'admin')
      JOIN public.users u ON u.id = b.user_id AND u.is_active
     WHERE b.poll_id = poll
       AND (p.club_id = ANY (bookwork_private.viewer_club_ids()) OR bookwork_private.viewer_is_staff())
$$;
