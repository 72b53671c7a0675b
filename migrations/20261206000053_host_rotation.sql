-- Hosting meetings in turn: members volunteer for a club's rotation, a new
-- meeting gets the volunteer who has gone longest without hosting, and the
-- host is named on the meeting and in its reminder.
SET LOCAL ROLE bookwork_owner;

-- The meeting's host: one of the club's members when chosen (the server
-- checks); kept as nobody when the account goes.
ALTER TABLE public.events ADD COLUMN host_id uuid REFERENCES public.users (id) ON DELETE SET NULL;
CREATE INDEX events_host ON public.events (host_id, club_id) WHERE host_id IS NOT NULL;

-- Who takes turns hosting in a club. Leaving the club (the membership row
-- goes, or is made inactive) takes them out: the rotation reads only
-- active members.
CREATE TABLE public.host_volunteers (
    club_id uuid NOT NULL REFERENCES public.clubs (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    since   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (club_id, user_id),
    FOREIGN KEY (club_id, user_id) REFERENCES public.club_members (club_id, user_id) ON DELETE CASCADE
);
CREATE INDEX host_volunteers_user ON public.host_volunteers (user_id);

-- Row security: the club's people (and site staff) read the rotation; a
-- member puts themself in and takes themself out; the organisers (and site
-- admins) take anyone out.
ALTER TABLE public.host_volunteers ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.host_volunteers FORCE ROW LEVEL SECURITY;
CREATE POLICY host_volunteers_read ON public.host_volunteers FOR SELECT USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY host_volunteers_join ON public.host_volunteers FOR INSERT WITH CHECK (
    user_id = (SELECT bookwork_private.viewer())
    AND club_id = ANY ((SELECT bookwork_private.viewer_club_ids('member'))::uuid[]));
CREATE POLICY host_volunteers_leave ON public.host_volunteers FOR DELETE USING (
    user_id = (SELECT bookwork_private.viewer())
    OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY owner_host_volunteers ON public.host_volunteers TO bookwork_owner USING (true) WITH CHECK (true);

-- "You are hosting": to the person made a meeting's host.
ALTER DOMAIN notification_kind DROP CONSTRAINT notification_kind_check;
ALTER DOMAIN notification_kind ADD CONSTRAINT notification_kind_check CHECK (VALUE IN (
    'reminder', 'waitlist_promoted', 'event_new', 'event_changed', 'event_cancelled',
    'task_assigned', 'invitation', 'poll_opened', 'poll_closing',
    'join_requested', 'join_answered', 'hosting'));

-- Every notice about a meeting names its host.
CREATE OR REPLACE FUNCTION bookwork_private.event_payload(event uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT jsonb_build_object(
        'event_id', e.id, 'event_title', e.title, 'club_id', c.id, 'club_name', c.name,
        'starts_at', e.starts_at, 'event_zone', e.time_zone, 'location', e.location,
        'book', COALESCE(e.book, ''),
        'host', COALESCE((SELECT u.name FROM public.users u WHERE u.id = e.host_id), ''))
      FROM public.events e JOIN public.clubs c ON c.id = e.club_id
     WHERE e.id = event
$$;

-- A reminder also tells its host that they are hosting.
CREATE OR REPLACE FUNCTION bookwork_private.take_due_reminders(batch integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    r record;
    taken integer := 0;
    ids bigint[];
BEGIN
    FOR r IN SELECT er.event_id, er.minutes_before FROM public.event_reminders er
              WHERE er.done_at IS NULL AND er.due_at <= now()
              ORDER BY er.due_at LIMIT batch
                FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE public.event_reminders SET done_at = now()
         WHERE event_id = r.event_id AND minutes_before = r.minutes_before;
        taken := taken + 1;
        ids := ARRAY(SELECT bookwork_private.notify(
            'reminder',
            ARRAY(SELECT m.user_id
                    FROM public.events e
                    JOIN public.clubs c ON c.id = e.club_id
                    JOIN public.club_members m ON m.club_id = e.club_id AND m.is_active
                    LEFT JOIN public.availability a ON a.event_id = e.id AND a.user_id = m.user_id
                   WHERE e.id = r.event_id AND e.cancelled_at IS NULL AND e.starts_at > now()
                     AND (a.status IN ('available', 'maybe') OR (a.user_id IS NULL AND c.remind_unanswered)
                          OR m.user_id = e.host_id)),
            bookwork_private.event_payload(r.event_id)
                || jsonb_build_object('minutes_before', r.minutes_before)));
        UPDATE public.notifications n
           SET payload = n.payload || jsonb_build_object(
                   'answer', (SELECT CASE WHEN a.waitlisted THEN 'waitlisted' ELSE a.status END
                                FROM public.availability a
                               WHERE a.event_id = r.event_id AND a.user_id = n.user_id),
                   'tasks', (SELECT COALESCE(jsonb_agg(i.name ORDER BY i.name), '[]'::jsonb)
                               FROM public.event_items i
                              WHERE i.event_id = r.event_id AND i.assigned_to = n.user_id
                                AND i.status IN ('pending', 'in_progress')),
                   'hosting', EXISTS (SELECT 1 FROM public.events e
                                       WHERE e.id = r.event_id AND e.host_id = n.user_id))
         WHERE n.id = ANY (ids);
    END LOOP;
    RETURN taken;
END
$$;

-- Two meetings' hosts trade places. Runs as the owner because a host who is
-- a plain member may not change events; it lets only the host of one of
-- the two (or the club's organisers, or a site admin) do it, for two
-- upcoming meetings of one club that both have a host. The caller holds
-- both events' locks.
CREATE FUNCTION bookwork_private.swap_hosts(a uuid, b uuid) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    ea public.events;
    eb public.events;
BEGIN
    SELECT * INTO ea FROM public.events WHERE id = a;
    SELECT * INTO eb FROM public.events WHERE id = b;
    IF ea.id IS NULL OR eb.id IS NULL OR a = b OR ea.club_id <> eb.club_id
       OR ea.host_id IS NULL OR eb.host_id IS NULL
       OR ea.cancelled_at IS NOT NULL OR eb.cancelled_at IS NOT NULL
       OR ea.starts_at <= now() OR eb.starts_at <= now() THEN
        RETURN false;
    END IF;
    IF NOT (me IN (ea.host_id, eb.host_id) AND ea.club_id = ANY (bookwork_private.viewer_club_ids('member'))
            OR ea.club_id = ANY (bookwork_private.viewer_club_ids('moderator'))
            OR bookwork_private.viewer_is_site_admin()) THEN
        RETURN false;
    END IF;
    UPDATE public.events SET host_id = eb.host_id WHERE id = a;
    UPDATE public.events SET host_id = ea.host_id WHERE id = b;
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION bookwork_private.swap_hosts(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.swap_hosts(uuid, uuid) TO bookwork_app;

-- Someone who leaves a club (or is removed) leaves its rotation and stops
-- hosting its coming meetings; past meetings keep their host. A trigger,
-- so every way out of a club does it; run as the owner because the person
-- leaving may not change events.
CREATE FUNCTION bookwork_private.hosting_follows_membership() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (OLD.is_active AND NOT NEW.is_active) THEN
        DELETE FROM public.host_volunteers WHERE club_id = OLD.club_id AND user_id = OLD.user_id;
        UPDATE public.events SET host_id = NULL
         WHERE club_id = OLD.club_id AND host_id = OLD.user_id AND starts_at > now();
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION bookwork_private.hosting_follows_membership() FROM PUBLIC;
CREATE TRIGGER club_members_hosting AFTER UPDATE OF is_active OR DELETE ON public.club_members
    FOR EACH ROW EXECUTE FUNCTION bookwork_private.hosting_follows_membership();
