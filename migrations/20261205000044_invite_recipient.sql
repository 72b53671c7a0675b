-- Who an e-mailed invitation link was sent to, so the club's admins can see
-- which pending invitations are for whom. NULL for a link made to share by
-- hand ("anyone with the link"). Only club admins read invitations (row
-- security on club_invites is unchanged).
SET LOCAL ROLE bookwork_owner;

ALTER TABLE public.club_invites
    ADD COLUMN sent_to text CONSTRAINT club_invites_sent_to_length CHECK (char_length(sent_to) <= 255);

-- What the person who opens a working invitation link sees before joining:
-- the club's description and size, who made the link, and the club's next
-- meeting. They are not in the club, so row security hides all of it from
-- them; the link is the proof, so this reads as the owner, and only for a
-- link that still works (not expired, used up or withdrawn).
CREATE FUNCTION bookwork_private.invite_preview(token_hash text)
RETURNS TABLE (description text, members bigint, invited_by text, next_meeting text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path TO '' AS $$
BEGIN
    RETURN QUERY
    SELECT c.description::text,
           (SELECT count(*) FROM public.club_members m WHERE m.club_id = c.id AND m.is_active),
           u.name::text,
           (SELECT public.notice_time(e.starts_at, e.time_zone) FROM public.events e
             WHERE e.club_id = c.id AND e.starts_at > now() AND e.cancelled_at IS NULL
             ORDER BY e.starts_at LIMIT 1)
      FROM public.club_invites i
      JOIN public.clubs c ON c.id = i.club_id
      LEFT JOIN public.users u ON u.id = i.created_by
     WHERE i.token_hash = invite_preview.token_hash
       AND i.revoked_at IS NULL AND i.expires_at > now() AND i.uses < i.max_uses;
END
$$;

REVOKE ALL ON FUNCTION bookwork_private.invite_preview(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.invite_preview(text) TO bookwork_app;
