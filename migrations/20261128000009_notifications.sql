-- Notifications: meeting reminders, "you got a place", new/changed/cancelled
-- meetings, tasks, invitations by e-mail.
--
-- `notifications` is the outbox: one row is one notice to one person (or, for
-- an invitation, one address). It is written in the same transaction as the
-- change that causes it, so a change that rolls back notifies nobody and one
-- that commits is never lost. Its in-app half is the row itself (the bell and
-- /notifications read it); its e-mail half is the queue the worker in every
-- server instance claims with FOR UPDATE SKIP LOCKED.
--
-- Reminders are planned rows with a due time (`event_reminders`), kept in
-- step with the event by a trigger: moved when it moves, dropped when it is
-- cancelled. When one falls due the worker turns it into notifications.

-- What this migration makes is the owner's (see the roles migration).
SET LOCAL ROLE bookwork_owner;

CREATE DOMAIN notification_kind AS text CHECK (VALUE IN (
    'reminder', 'waitlist_promoted', 'event_new', 'event_changed', 'event_cancelled',
    'task_assigned', 'invitation'));

-- When a club reminds its members: minutes before each meeting (default a day
-- and two hours; empty turns reminders off), and whether people who have not
-- answered are reminded too.
ALTER TABLE clubs
    ADD COLUMN reminder_minutes integer[] NOT NULL DEFAULT '{1440,120}',
    ADD COLUMN remind_unanswered boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT clubs_reminder_minutes_sane CHECK (
        cardinality(reminder_minutes) <= 6
        AND 5 <= ALL (reminder_minutes) AND 40320 >= ALL (reminder_minutes));

-- What a member wants, per kind. No row means both on.
CREATE TABLE notification_preferences (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       notification_kind NOT NULL,
    email      boolean NOT NULL DEFAULT true,
    in_app     boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind)
);

-- No foreign key to events, on purpose: checking one takes a share lock on
-- the event row, and re-planning a club's reminders (which runs while the
-- club row is locked) must never wait for an event an edit has locked, or
-- the edit, waiting for the club's new settings, would wait for it back. A
-- trigger removes an event's reminders with it.
CREATE TABLE event_reminders (
    event_id       uuid NOT NULL,
    minutes_before integer NOT NULL,
    due_at         timestamptz NOT NULL,
    -- Turned into notifications at this time; NULL while still to come.
    done_at        timestamptz,
    PRIMARY KEY (event_id, minutes_before)
);
CREATE INDEX event_reminders_due ON event_reminders (due_at) WHERE done_at IS NULL;

CREATE TABLE notifications (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         notification_kind NOT NULL,
    user_id      uuid REFERENCES users (id) ON DELETE CASCADE,
    -- Only for an invitation to someone who may not have an account.
    address      text,
    -- What the notice is about, as it was when it was written (titles, the
    -- instant a meeting starts, …); times are written in the reader's zone
    -- when it is read or mailed.
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- In-app: shown in the bell and on /notifications.
    in_app       boolean NOT NULL,
    read_at      timestamptz,
    -- E-mail: 'pending' until sent; 'off' when the reader does not want this
    -- kind by e-mail; 'skipped' when it no longer applies (the meeting was
    -- cancelled, the reader left the club); 'failed' after the last try.
    email_status text NOT NULL CHECK (email_status IN ('pending', 'sent', 'off', 'skipped', 'failed')),
    email_due_at timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    emailed_at   timestamptz,
    CHECK ((user_id IS NULL) <> (address IS NULL)),
    CHECK (user_id IS NOT NULL OR NOT in_app)
);
CREATE INDEX notifications_to_send ON notifications (email_due_at, id) WHERE email_status = 'pending';
CREATE INDEX notifications_reader ON notifications (user_id, id DESC) WHERE in_app;
CREATE INDEX notifications_unread ON notifications (user_id) WHERE in_app AND read_at IS NULL;

-- Reports may count notifications, but never read what they say (an
-- invitation's link is a secret until it is sent).
REVOKE SELECT ON notifications FROM bookwork_readonly;
GRANT SELECT (id, kind, user_id, created_at, in_app, read_at, email_status, email_due_at, attempts, emailed_at)
    ON notifications TO bookwork_readonly;

-- A time as a notice writes it for a reader in `zone`:
-- "Thu 3 Dec 2026, 19:00 (Europe/London)".
CREATE FUNCTION notice_time(at timestamptz, zone text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(at AT TIME ZONE zone, 'Dy FMDD Mon YYYY, HH24:MI') || ' (' || zone || ')'
$$;

-- What a notice about an event says about it, for whoever reads it later.
CREATE FUNCTION bookwork_private.event_payload(event uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT jsonb_build_object(
        'event_id', e.id, 'event_title', e.title, 'club_id', c.id, 'club_name', c.name,
        'starts_at', e.starts_at, 'event_zone', e.time_zone, 'location', e.location,
        'book', COALESCE(e.book, ''))
      FROM public.events e JOIN public.clubs c ON c.id = e.club_id
     WHERE e.id = event
$$;

-- Notifies `recipients` (active accounts only) as their preferences say;
-- returns the new rows' ids. Nothing for someone who turned both off.
CREATE FUNCTION bookwork_private.notify(notice_kind text, recipients uuid[], notice jsonb)
RETURNS SETOF bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    INSERT INTO public.notifications (kind, user_id, payload, in_app, email_status)
    SELECT notice_kind, u.id, notice, COALESCE(p.in_app, true),
           CASE WHEN COALESCE(p.email, true) THEN 'pending' ELSE 'off' END
      FROM public.users u
      LEFT JOIN public.notification_preferences p ON p.user_id = u.id AND p.kind = notice_kind
     WHERE u.id = ANY (recipients) AND u.is_active
       AND (COALESCE(p.in_app, true) OR COALESCE(p.email, true))
    RETURNING id
$$;

-- Tells `recipients` about one event. `extra` adds to what the notice says.
-- Only about an event of a club the person asking belongs to (or site
-- staff): nobody learns of an event by notifying themselves about it.
CREATE FUNCTION bookwork_private.notify_about_event(notice_kind text, event uuid, recipients uuid[], extra jsonb)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    SELECT count(*) FROM bookwork_private.notify(
        notice_kind,
        CASE WHEN EXISTS (SELECT 1 FROM public.events e
                           WHERE e.id = event
                             AND (e.club_id = ANY (bookwork_private.viewer_club_ids())
                                  OR bookwork_private.viewer_is_staff()))
             THEN recipients ELSE '{}' END,
        bookwork_private.event_payload(event) || COALESCE(extra, '{}'::jsonb))
$$;

-- Tells the club's active members about one of its events, all but `actor`
-- (who made the change and knows).
CREATE FUNCTION bookwork_private.notify_club_event(notice_kind text, event uuid, actor uuid, extra jsonb)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    SELECT bookwork_private.notify_about_event(
        notice_kind, event,
        ARRAY(SELECT m.user_id FROM public.club_members m JOIN public.events e ON e.club_id = m.club_id
               WHERE e.id = event AND m.is_active AND m.user_id IS DISTINCT FROM actor),
        extra)
$$;

-- Plans an event's reminders from its club's settings, for its current
-- time: each lead time still chosen is (re)scheduled; one the club no longer
-- uses goes. A new time that has already passed is not planned (the meeting
-- is too close for that reminder), unless that reminder was still waiting:
-- then it is sent now. One already sent that falls in the future again (the
-- meeting moved later) is sent again.
--
-- It first takes the club row FOR SHARE, so a change of the club's settings
-- under way finishes first and this plans with what it saved.
CREATE FUNCTION bookwork_private.plan_reminders(event uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    PERFORM 1 FROM public.clubs c JOIN public.events e ON e.club_id = c.id
     WHERE e.id = event FOR SHARE OF c;
    DELETE FROM public.event_reminders r
     WHERE r.event_id = event AND r.done_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM public.events e JOIN public.clubs c ON c.id = e.club_id
                        WHERE e.id = event AND e.cancelled_at IS NULL AND e.starts_at > now()
                          AND r.minutes_before = ANY (c.reminder_minutes));
    INSERT INTO public.event_reminders AS r (event_id, minutes_before, due_at)
    SELECT e.id, m, e.starts_at - make_interval(mins => m)
      FROM public.events e JOIN public.clubs c ON c.id = e.club_id, unnest(c.reminder_minutes) m
     WHERE e.id = event AND e.cancelled_at IS NULL AND e.starts_at > now()
       AND (e.starts_at - make_interval(mins => m) > now()
            OR EXISTS (SELECT 1 FROM public.event_reminders w
                        WHERE w.event_id = e.id AND w.minutes_before = m AND w.done_at IS NULL))
    ON CONFLICT (event_id, minutes_before)
       DO UPDATE SET due_at = EXCLUDED.due_at, done_at = NULL
       WHERE r.done_at IS NULL OR EXCLUDED.due_at > now();
END
$$;

CREATE FUNCTION bookwork_private.event_reminders_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    IF NEW.cancelled_at IS NOT NULL THEN
        DELETE FROM public.event_reminders WHERE event_id = NEW.id AND done_at IS NULL;
    ELSIF TG_OP = 'INSERT' OR NEW.starts_at IS DISTINCT FROM OLD.starts_at
          OR OLD.cancelled_at IS NOT NULL THEN
        PERFORM bookwork_private.plan_reminders(NEW.id);
    END IF;
    RETURN NULL;
END
$$;
-- Not `UPDATE OF starts_at`: the instant is set by a BEFORE trigger, which
-- column triggers do not see.
CREATE TRIGGER event_reminders_follow AFTER INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION bookwork_private.event_reminders_follow();

CREATE FUNCTION bookwork_private.club_reminders_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    IF NEW.reminder_minutes IS DISTINCT FROM OLD.reminder_minutes THEN
        PERFORM bookwork_private.plan_reminders(e.id)
           FROM public.events e
          WHERE e.club_id = NEW.id AND e.starts_at > now() AND e.cancelled_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER club_reminders_follow AFTER UPDATE ON clubs
    FOR EACH ROW EXECUTE FUNCTION bookwork_private.club_reminders_follow();

CREATE FUNCTION bookwork_private.event_reminders_go() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    DELETE FROM public.event_reminders WHERE event_id = OLD.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER event_reminders_go AFTER DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION bookwork_private.event_reminders_go();

-- Events planned before reminders existed get theirs.
SELECT bookwork_private.plan_reminders(id) FROM events
 WHERE starts_at > now() AND cancelled_at IS NULL;

-- Turns reminders that have fallen due into notifications, at most `batch`
-- of them; several workers at once each take different ones (SKIP LOCKED),
-- and each reminder is taken once (marked done in the same transaction).
-- Who is reminded: members who answered going (with a place or waiting for
-- one) or maybe, and, when the club asks for it, members who have not
-- answered. Each notice carries the reader's answer and open tasks.
CREATE FUNCTION bookwork_private.take_due_reminders(batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
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
                     AND (a.status IN ('available', 'maybe') OR (a.user_id IS NULL AND c.remind_unanswered))),
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
                                AND i.status IN ('pending', 'in_progress')))
         WHERE n.id = ANY (ids);
    END LOOP;
    RETURN taken;
END
$$;

-- "You got a place": the waitlist moves up and tells the people it moved.
CREATE OR REPLACE FUNCTION bookwork_private.promote_waitlist(event uuid, max_attendees integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    promoted uuid[];
BEGIN
    WITH moved AS (
        UPDATE public.availability SET waitlisted = false
         WHERE id IN (
               SELECT a.id FROM public.availability a
                WHERE a.event_id = event AND a.waitlisted
                ORDER BY a.arrival
                LIMIT GREATEST(0, COALESCE(max_attendees::bigint, 9223372036854775807)
                       - (SELECT count(*) FROM public.availability c
                           WHERE c.event_id = event AND c.status = 'available' AND NOT c.waitlisted)))
        RETURNING user_id)
    SELECT COALESCE(array_agg(user_id), '{}') INTO promoted FROM moved;
    -- Told only about a meeting still to come (a limit raised on a past or
    -- cancelled one moves the list, but there is nothing to come to).
    IF cardinality(promoted) > 0
       AND EXISTS (SELECT 1 FROM public.events e
                    WHERE e.id = event AND e.cancelled_at IS NULL AND e.starts_at > now()) THEN
        PERFORM bookwork_private.notify('waitlist_promoted', promoted, bookwork_private.event_payload(event));
    END IF;
    RETURN cardinality(promoted);
END
$$;

-- The worker's claim: the next notice whose e-mail is due, locked for this
-- transaction (SKIP LOCKED: another instance takes the one after), with what
-- writing it needs: the address, the reader's name, times in the reader's
-- zone, whether the reader still wants this kind by e-mail (`unwanted`), and
-- whether it still applies (`stale`: the reader left the club, the meeting
-- was cancelled or a reminder's meeting has begun).
CREATE FUNCTION bookwork_private.claim_notice()
RETURNS TABLE (id bigint, kind text, user_id uuid, payload jsonb, attempts integer, address text,
               name text, unwanted boolean, stale boolean, starts text, previous_starts text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    SELECT n.id, n.kind, n.user_id, n.payload, n.attempts, COALESCE(u.email, n.address), u.name,
           n.user_id IS NOT NULL AND NOT (u.is_active AND COALESCE(p.email, true)),
           n.user_id IS NOT NULL AND n.payload ? 'event_id' AND NOT EXISTS (
               SELECT 1 FROM public.events e
                 JOIN public.club_members m
                   ON m.club_id = e.club_id AND m.user_id = n.user_id AND m.is_active
                WHERE e.id = (n.payload->>'event_id')::uuid
                  AND (n.kind = 'event_cancelled' OR e.cancelled_at IS NULL)
                  AND (n.kind <> 'reminder' OR e.starts_at > now())),
           public.notice_time((n.payload->>'starts_at')::timestamptz, z.zone),
           public.notice_time((n.payload->>'previous_starts_at')::timestamptz, z.zone)
      FROM public.notifications n
      LEFT JOIN public.users u ON u.id = n.user_id
      LEFT JOIN public.notification_preferences p ON p.user_id = n.user_id AND p.kind = n.kind
      CROSS JOIN LATERAL (SELECT COALESCE(u.time_zone, n.payload->>'event_zone', 'UTC') AS zone) z
     WHERE n.email_status = 'pending' AND n.email_due_at <= now()
     ORDER BY n.email_due_at, n.id
     LIMIT 1
       FOR UPDATE OF n SKIP LOCKED
$$;

-- Records what became of a claimed notice: sent, off, skipped, failed, or
-- pending again in `retry_in` seconds. An invitation's link (a secret) goes
-- once it will not be sent again.
CREATE FUNCTION bookwork_private.finish_notice(notice bigint, outcome text, tries integer, error text,
                                              retry_in double precision)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    UPDATE public.notifications
       SET email_status = outcome, attempts = tries, last_error = error,
           emailed_at = CASE WHEN outcome = 'sent' THEN now() END,
           email_due_at = CASE WHEN outcome = 'pending' THEN now() + make_interval(secs => retry_in)
                               ELSE email_due_at END,
           payload = CASE WHEN outcome = 'pending' THEN payload ELSE payload - 'invite_path' END
     WHERE id = notice
$$;

-- Row security: a reader sees and marks only their own notices and
-- settings. Notices are written by the functions above (as the owner); the
-- only ones the app writes itself are invitations, by a club's admins.
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY notifications_own ON notifications FOR SELECT
    USING (user_id = (SELECT bookwork_private.viewer()));
CREATE POLICY notifications_mark ON notifications FOR UPDATE
    USING (user_id = (SELECT bookwork_private.viewer()))
    WITH CHECK (user_id = (SELECT bookwork_private.viewer()));
CREATE POLICY notifications_invite ON notifications FOR INSERT WITH CHECK (
    kind = 'invitation' AND user_id IS NULL AND NOT in_app
    AND ((payload->>'club_id')::uuid = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
         OR (SELECT bookwork_private.viewer_is_site_admin())));
CREATE POLICY notifications_reports ON notifications FOR SELECT TO bookwork_readonly USING (true);
CREATE POLICY owner_notifications ON notifications TO bookwork_owner USING (true) WITH CHECK (true);

ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY preferences_own ON notification_preferences
    USING (user_id = (SELECT bookwork_private.viewer()))
    WITH CHECK (user_id = (SELECT bookwork_private.viewer()));
CREATE POLICY preferences_reports ON notification_preferences FOR SELECT TO bookwork_readonly USING (true);
CREATE POLICY owner_notification_preferences ON notification_preferences TO bookwork_owner
    USING (true) WITH CHECK (true);

-- Invitations sent by e-mail are counted per sender (a daily cap keeps the
-- site's address from being used to mail strangers in bulk).
ALTER TABLE club_invites ADD COLUMN emailed boolean NOT NULL DEFAULT false;
CREATE INDEX club_invites_emailed_by ON club_invites (created_by, created_at) WHERE emailed;

REVOKE EXECUTE ON FUNCTION bookwork_private.event_payload(uuid), bookwork_private.notify(text, uuid[], jsonb),
    bookwork_private.notify_about_event(text, uuid, uuid[], jsonb),
    bookwork_private.notify_club_event(text, uuid, uuid, jsonb), bookwork_private.plan_reminders(uuid),
    bookwork_private.take_due_reminders(integer), bookwork_private.event_reminders_follow(),
    bookwork_private.club_reminders_follow(), bookwork_private.event_reminders_go(),
    bookwork_private.claim_notice(), bookwork_private.finish_notice(bigint, text, integer, text, double precision)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.notify_about_event(text, uuid, uuid[], jsonb),
    bookwork_private.notify_club_event(text, uuid, uuid, jsonb),
    bookwork_private.take_due_reminders(integer), bookwork_private.claim_notice(),
    bookwork_private.finish_notice(bigint, text, integer, text, double precision)
    TO bookwork_app;
