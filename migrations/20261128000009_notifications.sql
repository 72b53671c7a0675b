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

CREATE TABLE event_reminders (
    event_id       uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
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
CREATE FUNCTION bookwork_private.notify_about_event(notice_kind text, event uuid, recipients uuid[], extra jsonb)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    SELECT count(*) FROM bookwork_private.notify(
        notice_kind, recipients, bookwork_private.event_payload(event) || COALESCE(extra, '{}'::jsonb))
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

-- Plans an event's reminders from its club's settings: the ones still to
-- come are (re)scheduled at the event's current time; one whose new time has
-- passed is dropped; one already sent that now falls in the future again (the
-- meeting moved later) is sent again.
CREATE FUNCTION bookwork_private.plan_reminders(event uuid) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
    DELETE FROM public.event_reminders r
     WHERE r.event_id = event AND r.done_at IS NULL;
    INSERT INTO public.event_reminders (event_id, minutes_before, due_at)
    SELECT e.id, m, e.starts_at - make_interval(mins => m)
      FROM public.events e JOIN public.clubs c ON c.id = e.club_id, unnest(c.reminder_minutes) m
     WHERE e.id = event AND e.cancelled_at IS NULL AND e.starts_at - make_interval(mins => m) > now()
    ON CONFLICT (event_id, minutes_before)
       DO UPDATE SET due_at = EXCLUDED.due_at, done_at = NULL;
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
        -- Reminders for offsets the club no longer uses go.
        DELETE FROM public.event_reminders r USING public.events e
         WHERE e.id = r.event_id AND e.club_id = NEW.id AND r.done_at IS NULL;
        PERFORM bookwork_private.plan_reminders(e.id)
           FROM public.events e
          WHERE e.club_id = NEW.id AND e.starts_at > now() AND e.cancelled_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER club_reminders_follow AFTER UPDATE ON clubs
    FOR EACH ROW EXECUTE FUNCTION bookwork_private.club_reminders_follow();

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
    IF cardinality(promoted) > 0 THEN
        PERFORM bookwork_private.notify('waitlist_promoted', promoted, bookwork_private.event_payload(event));
    END IF;
    RETURN cardinality(promoted);
END
$$;

REVOKE EXECUTE ON FUNCTION bookwork_private.event_payload(uuid), bookwork_private.notify(text, uuid[], jsonb),
    bookwork_private.notify_about_event(text, uuid, uuid[], jsonb),
    bookwork_private.notify_club_event(text, uuid, uuid, jsonb), bookwork_private.plan_reminders(uuid),
    bookwork_private.take_due_reminders(integer), bookwork_private.event_reminders_follow(),
    bookwork_private.club_reminders_follow()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.notify_about_event(text, uuid, uuid[], jsonb),
    bookwork_private.notify_club_event(text, uuid, uuid, jsonb),
    bookwork_private.take_due_reminders(integer)
    TO bookwork_app;
