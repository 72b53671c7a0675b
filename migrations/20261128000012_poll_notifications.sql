-- Poll notifications: "poll opened" to the club's voters when an organiser
-- opens one, and "closing in 24 hours, you have not voted" once per poll.
SET LOCAL ROLE bookwork_owner;

ALTER DOMAIN notification_kind DROP CONSTRAINT notification_kind_check;
ALTER DOMAIN notification_kind ADD CONSTRAINT notification_kind_check CHECK (VALUE IN (
    'reminder', 'waitlist_promoted', 'event_new', 'event_changed', 'event_cancelled',
    'task_assigned', 'invitation', 'poll_opened', 'poll_closing'));

-- When the "closing soon" notices went out (once per poll).
ALTER TABLE polls ADD COLUMN closing_told_at timestamptz;
CREATE INDEX polls_closing_soon ON polls (closes_at) WHERE closed_at IS NULL AND closing_told_at IS NULL;

-- What a notice about a poll says about it. `starts_at` is the moment the
-- notice is about (here: when the poll closes), written in each reader's zone.
CREATE FUNCTION bookwork_private.poll_payload(poll uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT jsonb_build_object(
        'poll_id', p.id, 'poll_title', p.title, 'club_id', c.id, 'club_name', c.name,
        'starts_at', p.closes_at, 'event_zone', c.time_zone)
      FROM public.polls p JOIN public.clubs c ON c.id = p.club_id
     WHERE p.id = poll
$$;

-- The club's voters (members, moderators, admins) without a ballot in `poll`.
CREATE FUNCTION bookwork_private.poll_voters_to_tell(poll uuid, actor uuid) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT ARRAY(
        SELECT m.user_id FROM public.club_members m JOIN public.polls p ON p.club_id = m.club_id
         WHERE p.id = poll AND m.is_active AND m.role IN ('member', 'moderator', 'admin')
           AND m.user_id IS DISTINCT FROM actor
           AND NOT EXISTS (SELECT 1 FROM public.ballots b WHERE b.poll_id = p.id AND b.user_id = m.user_id))
$$;

-- "Poll opened", by the organiser who opened it (checked: one who runs the
-- club's polls), to everyone else who may vote.
CREATE FUNCTION bookwork_private.notify_poll_opened(poll uuid) RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    SELECT count(*) FROM bookwork_private.notify(
        'poll_opened',
        CASE WHEN EXISTS (SELECT 1 FROM public.polls p
                           WHERE p.id = poll
                             AND (p.club_id = ANY (bookwork_private.viewer_club_ids('moderator'))
                                  OR bookwork_private.viewer_is_site_admin()))
             THEN bookwork_private.poll_voters_to_tell(poll, bookwork_private.viewer())
             ELSE '{}' END,
        bookwork_private.poll_payload(poll))
$$;

-- For the worker: open polls closing within a day whose voters have not been
-- told yet; each taken once (SKIP LOCKED, marked in the same transaction).
CREATE FUNCTION bookwork_private.take_closing_polls(batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    r record;
    taken integer := 0;
BEGIN
    FOR r IN SELECT p.id FROM public.polls p
              WHERE p.closed_at IS NULL AND p.closing_told_at IS NULL
                AND p.closes_at > now() AND p.closes_at <= now() + interval '24 hours'
              ORDER BY p.closes_at LIMIT batch
                FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE public.polls SET closing_told_at = now() WHERE id = r.id;
        PERFORM bookwork_private.notify('poll_closing', bookwork_private.poll_voters_to_tell(r.id, NULL),
                                        bookwork_private.poll_payload(r.id));
        taken := taken + 1;
    END LOOP;
    RETURN taken;
END
$$;

REVOKE EXECUTE ON FUNCTION bookwork_private.poll_payload(uuid), bookwork_private.poll_voters_to_tell(uuid, uuid),
    bookwork_private.notify_poll_opened(uuid), bookwork_private.take_closing_polls(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.notify_poll_opened(uuid), bookwork_private.take_closing_polls(integer)
    TO bookwork_app;
