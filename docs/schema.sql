--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: bookwork_private; Type: SCHEMA; Schema: -; Owner: bookwork_owner
--

CREATE SCHEMA bookwork_private;


ALTER SCHEMA bookwork_private OWNER TO bookwork_owner;

--
-- Name: monitoring; Type: SCHEMA; Schema: -; Owner: bookwork_owner
--

CREATE SCHEMA monitoring;


ALTER SCHEMA monitoring OWNER TO bookwork_owner;

--
-- Name: tower_sessions; Type: SCHEMA; Schema: -; Owner: bookwork_owner
--

CREATE SCHEMA tower_sessions;


ALTER SCHEMA tower_sessions OWNER TO bookwork_owner;

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: notification_kind; Type: DOMAIN; Schema: public; Owner: bookwork_owner
--

CREATE DOMAIN public.notification_kind AS text
	CONSTRAINT notification_kind_check CHECK ((VALUE = ANY (ARRAY['reminder'::text, 'waitlist_promoted'::text, 'event_new'::text, 'event_changed'::text, 'event_cancelled'::text, 'task_assigned'::text, 'invitation'::text, 'poll_opened'::text, 'poll_closing'::text, 'join_requested'::text, 'join_answered'::text, 'hosting'::text, 'comment_reply'::text, 'mention'::text, 'reading_target'::text])));


ALTER DOMAIN public.notification_kind OWNER TO bookwork_owner;

--
-- Name: accept_invite(text, text); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.accept_invite(token_hash text, role text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    invite record;
    full_now boolean;
BEGIN
    IF me IS NULL OR role NOT IN ('member', 'guest') THEN
        RETURN 'unknown';
    END IF;
    SELECT i.id, i.club_id, i.expires_at, i.uses, i.max_uses, i.revoked_at INTO invite
      FROM public.club_invites i WHERE i.token_hash = accept_invite.token_hash FOR UPDATE;
    IF NOT FOUND THEN RETURN 'unknown'; END IF;
    IF EXISTS (SELECT 1 FROM public.club_members m
                WHERE m.club_id = invite.club_id AND m.user_id = me AND m.is_active) THEN
        RETURN 'already_member';
    END IF;
    IF invite.revoked_at IS NOT NULL THEN RETURN 'revoked'; END IF;
    IF invite.expires_at <= now() THEN RETURN 'expired'; END IF;
    IF invite.uses >= invite.max_uses THEN RETURN 'used_up'; END IF;
    -- Lock the club, then count in a statement of its own (after the lock).
    PERFORM 1 FROM public.clubs c WHERE c.id = invite.club_id FOR UPDATE;
    SELECT c.max_members IS NOT NULL
           AND (SELECT count(*) FROM public.club_members m
                 WHERE m.club_id = c.id AND m.is_active) >= c.max_members
      INTO full_now
      FROM public.clubs c WHERE c.id = invite.club_id;
    IF full_now THEN RETURN 'full'; END IF;
    INSERT INTO public.club_members (club_id, user_id, role) VALUES (invite.club_id, me, role)
        ON CONFLICT (club_id, user_id) DO UPDATE
           SET is_active = true, role = EXCLUDED.role, joined_date = now(), books_read = 0;
    UPDATE public.club_invites SET uses = uses + 1 WHERE id = invite.id;
    RETURN 'joined';
END
$$;


ALTER FUNCTION bookwork_private.accept_invite(token_hash text, role text) OWNER TO bookwork_owner;

--
-- Name: answer_counts(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.answer_counts(event uuid) RETURNS TABLE(available bigint, waitlisted bigint, maybe bigint, unavailable bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN QUERY
    SELECT count(*) FILTER (WHERE a.status = 'available' AND NOT a.waitlisted),
           count(*) FILTER (WHERE a.waitlisted),
           count(*) FILTER (WHERE a.status = 'maybe'),
           count(*) FILTER (WHERE a.status = 'unavailable')
      FROM public.availability a
     WHERE a.event_id = event
       AND EXISTS (SELECT 1 FROM public.events e JOIN public.clubs c ON c.id = e.club_id
                    WHERE e.id = event
                      AND ((e.is_public AND c.is_public)
                           OR e.club_id = ANY (bookwork_private.viewer_club_ids())
                           OR bookwork_private.viewer_is_staff()));
END
$$;


ALTER FUNCTION bookwork_private.answer_counts(event uuid) OWNER TO bookwork_owner;

--
-- Name: book_in_open_poll(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.book_in_open_poll(book uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.poll_options o JOIN public.polls p ON p.id = o.poll_id
                    WHERE o.book_id = book AND p.closed_at IS NULL AND p.closes_at > now());
END
$$;


ALTER FUNCTION bookwork_private.book_in_open_poll(book uuid) OWNER TO bookwork_owner;

--
-- Name: check_api_token(text); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.check_api_token(token_hash text) RETURNS TABLE(token_id uuid, user_id uuid, user_name text, user_email text, site_role text, scopes text[])
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    found_token record;
BEGIN
    SELECT t.id, t.last_used_at, u.id AS person, u.name::text AS person_name, u.email::text AS person_email,
           u.role::text AS person_role, t.scopes AS token_scopes
      INTO found_token
      FROM public.api_tokens t JOIN public.users u ON u.id = t.user_id
     WHERE t.token_hash = check_api_token.token_hash AND t.revoked_at IS NULL
       AND (t.expires_at IS NULL OR t.expires_at > pg_catalog.now()) AND u.is_active;
    IF NOT FOUND THEN
        PERFORM pg_catalog.set_config('app.user_id', '', true);
        RETURN;
    END IF;
    IF found_token.last_used_at IS NULL OR found_token.last_used_at < pg_catalog.now() - interval '1 minute' THEN
        UPDATE public.api_tokens SET last_used_at = pg_catalog.now() WHERE id = found_token.id;
    END IF;
    PERFORM pg_catalog.set_config('app.user_id', found_token.person::text, true);
    RETURN QUERY SELECT found_token.id, found_token.person, found_token.person_name, found_token.person_email,
                        found_token.person_role, found_token.token_scopes;
END
$$;


ALTER FUNCTION bookwork_private.check_api_token(token_hash text) OWNER TO bookwork_owner;

--
-- Name: check_sign_in(uuid, uuid, boolean); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.check_sign_in(person uuid, sign_in uuid, count_unread boolean) RETURNS TABLE(user_id uuid, user_name text, user_email text, site_role text, unread bigint)
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_catalog.set_config('app.user_id', person::text, true);
    RETURN QUERY
    SELECT u.id, u.name::text, u.email::text, u.role::text,
           CASE WHEN count_unread THEN
               (SELECT pg_catalog.count(*) FROM public.notifications n
                 WHERE n.user_id = u.id AND n.in_app AND n.read_at IS NULL)
           END
      FROM public.session_families f JOIN public.users u ON u.id = f.user_id
     WHERE f.id = sign_in AND f.user_id = person AND f.revoked_at IS NULL
       AND f.expires_at > pg_catalog.now() AND u.is_active;
    IF NOT FOUND THEN
        PERFORM pg_catalog.set_config('app.user_id', '', true);
    END IF;
END
$$;


ALTER FUNCTION bookwork_private.check_sign_in(person uuid, sign_in uuid, count_unread boolean) OWNER TO bookwork_owner;

--
-- Name: claim_notice(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.claim_notice() RETURNS TABLE(id bigint, kind text, user_id uuid, payload jsonb, attempts integer, address text, name text, unwanted boolean, stale boolean, starts text, previous_starts text)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.claim_notice() OWNER TO bookwork_owner;

--
-- Name: club_polled_books(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.club_polled_books(club uuid) RETURNS TABLE(book_id uuid, open boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.club_polled_books(club uuid) OWNER TO bookwork_owner;

--
-- Name: club_reminders_follow(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.club_reminders_follow() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    IF NEW.reminder_minutes IS DISTINCT FROM OLD.reminder_minutes THEN
        PERFORM bookwork_private.plan_reminders(e.id)
           FROM public.events e
          WHERE e.club_id = NEW.id AND e.starts_at > now() AND e.cancelled_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;


ALTER FUNCTION bookwork_private.club_reminders_follow() OWNER TO bookwork_owner;

--
-- Name: community_stats(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.community_stats() RETURNS TABLE(public_clubs bigint, upcoming_public_events bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN QUERY
    SELECT (SELECT t.public_clubs FROM bookwork_private.club_tally t),
           (SELECT count(*) FROM public.events e JOIN public.clubs c ON c.id = e.club_id
             WHERE e.is_public AND c.is_public AND e.cancelled_at IS NULL AND e.starts_at >= now());
END
$$;


ALTER FUNCTION bookwork_private.community_stats() OWNER TO bookwork_owner;

--
-- Name: count_api_request(text, uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.count_api_request(token_hash text, session uuid) RETURNS TABLE(used integer, retry_after integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    who uuid := session;
    this_minute timestamptz := pg_catalog.date_trunc('minute', pg_catalog.now());
BEGIN
    IF count_api_request.token_hash IS NOT NULL THEN
        SELECT t.id INTO who FROM public.api_tokens t
         WHERE t.token_hash = count_api_request.token_hash AND t.revoked_at IS NULL;
    END IF;
    IF who IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        INSERT INTO public.api_request_counts AS c (holder, window_start, requests)
        VALUES (who, this_minute, 1)
        ON CONFLICT ON CONSTRAINT api_request_counts_pkey DO UPDATE SET requests = c.requests + 1
        RETURNING c.requests,
                  GREATEST(1, pg_catalog.ceil(EXTRACT(epoch FROM
                      c.window_start + interval '1 minute' - pg_catalog.clock_timestamp())))::integer;
END
$$;


ALTER FUNCTION bookwork_private.count_api_request(token_hash text, session uuid) OWNER TO bookwork_owner;

--
-- Name: count_members(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.count_members() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    change integer := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.is_active THEN
        change := change + 1;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.is_active THEN
        change := change - 1;
    END IF;
    IF change <> 0 THEN
        -- A club being deleted takes its members with it: its row is gone
        -- by then, and this updates nothing.
        UPDATE public.clubs SET member_total = member_total + change
         WHERE id = COALESCE(NEW.club_id, OLD.club_id);
    END IF;
    RETURN NULL;
END
$$;


ALTER FUNCTION bookwork_private.count_members() OWNER TO bookwork_owner;

--
-- Name: date_poll_counts(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.date_poll_counts(poll uuid) RETURNS TABLE(option_id uuid, yes bigint, maybe bigint, no bigint, people bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.date_poll_counts(poll uuid) OWNER TO bookwork_owner;

--
-- Name: discussion_payload(uuid, uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.discussion_payload(section uuid, event uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT COALESCE(bookwork_private.section_payload(section), (
        SELECT jsonb_build_object('club_id', c.id, 'club_name', c.name,
                                  'event_id', e.id, 'event_title', e.title)
          FROM public.events e JOIN public.clubs c ON c.id = e.club_id
         WHERE e.id = event))
$$;


ALTER FUNCTION bookwork_private.discussion_payload(section uuid, event uuid) OWNER TO bookwork_owner;

--
-- Name: event_payload(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.event_payload(event uuid) RETURNS jsonb
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


ALTER FUNCTION bookwork_private.event_payload(event uuid) OWNER TO bookwork_owner;

--
-- Name: event_reminders_follow(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.event_reminders_follow() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.event_reminders_follow() OWNER TO bookwork_owner;

--
-- Name: event_reminders_go(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.event_reminders_go() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    DELETE FROM public.event_reminders WHERE event_id = OLD.id;
    RETURN NULL;
END
$$;


ALTER FUNCTION bookwork_private.event_reminders_go() OWNER TO bookwork_owner;

--
-- Name: finish_notice(bigint, text, integer, text, double precision); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.finish_notice(notice bigint, outcome text, tries integer, error text, retry_in double precision) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
    UPDATE public.notifications
       SET email_status = outcome, attempts = tries, last_error = error,
           emailed_at = CASE WHEN outcome = 'sent' THEN now() END,
           email_due_at = CASE WHEN outcome = 'pending' THEN now() + make_interval(secs => retry_in)
                               ELSE email_due_at END,
           payload = CASE WHEN outcome = 'pending' THEN payload ELSE payload - 'invite_path' END
     WHERE id = notice
$$;


ALTER FUNCTION bookwork_private.finish_notice(notice bigint, outcome text, tries integer, error text, retry_in double precision) OWNER TO bookwork_owner;

--
-- Name: forget_api_request_counts(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.forget_api_request_counts() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
    WITH gone AS (
        DELETE FROM public.api_request_counts
         WHERE window_start < pg_catalog.now() - interval '5 minutes'
        RETURNING 1)
    SELECT pg_catalog.count(*)::integer FROM gone
$$;


ALTER FUNCTION bookwork_private.forget_api_request_counts() OWNER TO bookwork_owner;

--
-- Name: forget_idempotency_keys(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.forget_idempotency_keys() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
    WITH gone AS (
        DELETE FROM public.api_idempotency_keys
         WHERE created_at < pg_catalog.now() - interval '24 hours'
        RETURNING 1)
    SELECT pg_catalog.count(*)::integer FROM gone
$$;


ALTER FUNCTION bookwork_private.forget_idempotency_keys() OWNER TO bookwork_owner;

--
-- Name: forget_me(text); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.forget_me(former_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    old_name text;
    old_email text;
BEGIN
    SELECT u.name, u.email INTO old_name, old_email FROM public.users u WHERE u.id = me FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no signed-in person to forget' USING ERRCODE = '42501';
    END IF;

    -- Theirs alone.
    DELETE FROM public.notifications n WHERE n.user_id = me OR lower(n.address) = lower(old_email);
    DELETE FROM public.notification_preferences p WHERE p.user_id = me;
    DELETE FROM public.calendar_feeds f WHERE f.user_id = me;
    DELETE FROM public.api_idempotency_keys k WHERE k.user_id = me;
    DELETE FROM public.api_request_counts c
     WHERE c.holder = me OR c.holder IN (SELECT t.id FROM public.api_tokens t WHERE t.user_id = me);
    DELETE FROM public.api_tokens t WHERE t.user_id = me;
    DELETE FROM public.refresh_tokens r WHERE r.user_id = me;
    DELETE FROM public.session_families s WHERE s.user_id = me;
    DELETE FROM public.auth_attempts a WHERE a.key = 'account:' || lower(old_email);
    DELETE FROM public.join_requests j WHERE j.user_id = me;
    DELETE FROM public.comment_reports r WHERE r.reporter_id = me;
    DELETE FROM public.host_volunteers h WHERE h.user_id = me;
    DELETE FROM public.reading_marks m WHERE m.user_id = me;
    DELETE FROM public.reading_places p WHERE p.user_id = me;
    DELETE FROM public.reading_privacy p WHERE p.user_id = me;

    -- Invitations e-mailed to their address keep no address (they still
    -- count, as sent, in the club's list).
    UPDATE public.club_invites i SET sent_to = NULL WHERE lower(i.sent_to) = lower(old_email);

    -- Their part in clubs ends; the clubs' history keeps a former member.
    UPDATE public.club_members m SET is_active = false, role = 'member' WHERE m.user_id = me;
    UPDATE public.events e SET host_id = NULL WHERE e.host_id = me AND e.starts_at >= now();

    -- Others' notices name them: the name (a whole JSON string) becomes
    -- the former member's.
    UPDATE public.notifications n
       SET payload = replace(n.payload::text, pg_catalog.to_jsonb(old_name)::text,
                             pg_catalog.to_jsonb(former_name)::text)::jsonb
     WHERE pg_catalog.strpos(n.payload::text, pg_catalog.to_jsonb(old_name)::text) > 0;

    UPDATE public.users u
       SET name = former_name,
           email = 'former-' || pg_catalog.replace(me::text, '-', '') || '@deleted.invalid',
           password_hash = '!',
           phone = NULL, avatar = NULL, time_zone = NULL, last_login_at = NULL,
           is_active = false, role = 'member', updated_at = now()
     WHERE u.id = me;
END
$$;


ALTER FUNCTION bookwork_private.forget_me(former_name text) OWNER TO bookwork_owner;

--
-- Name: forget_viewer_clubs(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.forget_viewer_clubs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    PERFORM pg_catalog.set_config('bookwork.clubs_' || r, '', true)
       FROM pg_catalog.unnest(ARRAY['guest', 'member', 'moderator', 'admin']) AS r;
    PERFORM pg_catalog.set_config('bookwork.site_role', '', true);
    RETURN NULL;
END
$$;


ALTER FUNCTION bookwork_private.forget_viewer_clubs() OWNER TO bookwork_owner;

--
-- Name: hosting_follows_membership(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

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


ALTER FUNCTION bookwork_private.hosting_follows_membership() OWNER TO bookwork_owner;

--
-- Name: invite_for_token(text); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.invite_for_token(token_hash text) RETURNS TABLE(club_id uuid, club_name text, expired boolean, used_up boolean, revoked boolean, already_member boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN QUERY
    SELECT c.id, c.name::text, i.expires_at <= now(), i.uses >= i.max_uses, i.revoked_at IS NOT NULL,
           EXISTS (SELECT 1 FROM public.club_members m
                    WHERE m.club_id = c.id AND m.user_id = bookwork_private.viewer() AND m.is_active)
      FROM public.club_invites i JOIN public.clubs c ON c.id = i.club_id
     WHERE i.token_hash = invite_for_token.token_hash;
END
$$;


ALTER FUNCTION bookwork_private.invite_for_token(token_hash text) OWNER TO bookwork_owner;

--
-- Name: invite_preview(text); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.invite_preview(token_hash text) RETURNS TABLE(description text, members bigint, invited_by text, next_meeting text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.invite_preview(token_hash text) OWNER TO bookwork_owner;

--
-- Name: item_event(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.item_event(item uuid) RETURNS TABLE(event_id uuid, assigned_to uuid)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN QUERY
    SELECT i.event_id, i.assigned_to
      FROM public.event_items i JOIN public.events e ON e.id = i.event_id
      JOIN public.clubs c ON c.id = e.club_id
     WHERE i.id = item
       AND ((e.is_public AND c.is_public)
            OR e.club_id = ANY (bookwork_private.viewer_club_ids())
            OR bookwork_private.viewer_is_staff());
END
$$;


ALTER FUNCTION bookwork_private.item_event(item uuid) OWNER TO bookwork_owner;

--
-- Name: lock_club(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.lock_club(club uuid) RETURNS TABLE(max_members integer, members bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    limit_now integer;
BEGIN
    SELECT c.max_members INTO limit_now FROM public.clubs c
     WHERE c.id = club
       AND (c.is_public OR c.id = ANY (bookwork_private.viewer_club_ids())
            OR bookwork_private.viewer_is_staff())
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT limit_now, (SELECT count(*) FROM public.club_members m
                            WHERE m.club_id = club AND m.is_active);
END
$$;


ALTER FUNCTION bookwork_private.lock_club(club uuid) OWNER TO bookwork_owner;

--
-- Name: lock_event(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.lock_event(event uuid) RETURNS TABLE(max_attendees integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN QUERY
    SELECT e.max_attendees FROM public.events e
     WHERE e.id = event
       AND (e.club_id = ANY (bookwork_private.viewer_club_ids()) OR bookwork_private.viewer_is_staff())
       FOR UPDATE;
END
$$;


ALTER FUNCTION bookwork_private.lock_event(event uuid) OWNER TO bookwork_owner;

--
-- Name: lock_member(uuid, uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.lock_member(club uuid, member uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM public.club_members m JOIN public.users u ON u.id = m.user_id
         WHERE m.club_id = club AND m.user_id = member AND m.is_active AND u.is_active
           AND (club = ANY (bookwork_private.viewer_club_ids()) OR bookwork_private.viewer_is_staff())
           FOR SHARE OF m, u);
END
$$;


ALTER FUNCTION bookwork_private.lock_member(club uuid, member uuid) OWNER TO bookwork_owner;

--
-- Name: lock_my_clubs(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.lock_my_clubs() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    PERFORM 1 FROM public.clubs c
      WHERE c.id IN (SELECT m.club_id FROM public.club_members m
                      WHERE m.user_id = bookwork_private.viewer())
      ORDER BY c.id
        FOR NO KEY UPDATE;
END
$$;


ALTER FUNCTION bookwork_private.lock_my_clubs() OWNER TO bookwork_owner;

--
-- Name: lock_poll_for_nomination(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.lock_poll_for_nomination(poll uuid) RETURNS TABLE(taking boolean, cap smallint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN QUERY
    SELECT p.nominating AND p.closed_at IS NULL AND p.closes_at > now(), p.nomination_cap
      FROM public.polls p
     WHERE p.id = poll
       AND p.club_id = ANY (bookwork_private.viewer_club_ids('member'))
       FOR UPDATE;
END
$$;


ALTER FUNCTION bookwork_private.lock_poll_for_nomination(poll uuid) OWNER TO bookwork_owner;

--
-- Name: lock_poll_for_vote(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.lock_poll_for_vote(poll uuid) RETURNS TABLE(open boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN QUERY
    SELECT p.closed_at IS NULL AND p.closes_at > now() FROM public.polls p
     WHERE p.id = poll
       AND p.club_id = ANY (bookwork_private.viewer_club_ids('member'))
       FOR SHARE;
END
$$;


ALTER FUNCTION bookwork_private.lock_poll_for_vote(poll uuid) OWNER TO bookwork_owner;

--
-- Name: member_counts(uuid[]); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.member_counts(clubs uuid[]) RETURNS TABLE(club_id uuid, members bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN QUERY
    SELECT c.id, (SELECT count(*) FROM public.club_members m WHERE m.club_id = c.id AND m.is_active)
      FROM public.clubs c
     WHERE c.id = ANY (clubs)
       AND (c.is_public OR c.id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
            OR (SELECT bookwork_private.viewer_is_staff()));
END
$$;


ALTER FUNCTION bookwork_private.member_counts(clubs uuid[]) OWNER TO bookwork_owner;

--
-- Name: moderate_comment(uuid, text); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.moderate_comment(comment uuid, reason text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    club uuid;
BEGIN
    SELECT c.club_id INTO club FROM public.comments c WHERE c.id = comment;
    IF club IS NULL OR NOT (club = ANY (bookwork_private.viewer_club_ids('admin'))
                            OR bookwork_private.viewer_is_staff()) THEN
        RETURN false;
    END IF;
    UPDATE public.comments
       SET hidden_at = CASE WHEN reason IS NULL THEN NULL ELSE now() END,
           hidden_by = CASE WHEN reason IS NULL THEN NULL ELSE bookwork_private.viewer() END,
           hidden_reason = reason
     WHERE id = comment;
    UPDATE public.comment_reports SET resolved_at = now()
     WHERE comment_id = comment AND resolved_at IS NULL;
    RETURN true;
END
$$;


ALTER FUNCTION bookwork_private.moderate_comment(comment uuid, reason text) OWNER TO bookwork_owner;

--
-- Name: my_writing(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.my_writing() RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT jsonb_build_object(
        'comments', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'club', c.name, 'book', b.title, 'section', s.title, 'meeting', e.title,
                       'posted_at', to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                       'edited', m.edited_at IS NOT NULL, 'reply', m.parent_id IS NOT NULL,
                       'text', m.body) ORDER BY m.created_at, m.id)
              FROM public.comments m
              LEFT JOIN public.reading_sections s ON s.id = m.section_id
              LEFT JOIN public.books b ON b.id = s.book_id
              LEFT JOIN public.events e ON e.id = m.event_id
              JOIN public.clubs c ON c.id = m.club_id
             WHERE m.author_id = bookwork_private.viewer() AND m.deleted_at IS NULL), '[]'::jsonb),
        'questions', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'club', c.name, 'meeting', e.title, 'text', q.text, 'about', s.title,
                       'picked', q.position IS NOT NULL) ORDER BY q.created_at, q.id)
              FROM public.meeting_questions q
              JOIN public.events e ON e.id = q.event_id
              JOIN public.clubs c ON c.id = q.club_id
              LEFT JOIN public.reading_sections s ON s.id = q.section_id
             WHERE q.author_id = bookwork_private.viewer()), '[]'::jsonb))
$$;


ALTER FUNCTION bookwork_private.my_writing() OWNER TO bookwork_owner;

--
-- Name: notify(text, uuid[], jsonb); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.notify(notice_kind text, recipients uuid[], notice jsonb) RETURNS SETOF bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
    INSERT INTO public.notifications (kind, user_id, payload, in_app, email_status)
    SELECT notice_kind, u.id, notice, COALESCE(p.in_app, true),
           CASE WHEN COALESCE(p.email, true) THEN 'pending' ELSE 'off' END
      FROM public.users u
      LEFT JOIN public.notification_preferences p ON p.user_id = u.id AND p.kind = notice_kind
     WHERE u.id = ANY (recipients) AND u.is_active
       AND (COALESCE(p.in_app, true) OR COALESCE(p.email, true))
    RETURNING id
$$;


ALTER FUNCTION bookwork_private.notify(notice_kind text, recipients uuid[], notice jsonb) OWNER TO bookwork_owner;

--
-- Name: notify_about_event(text, uuid, uuid[], jsonb); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.notify_about_event(notice_kind text, event uuid, recipients uuid[], extra jsonb) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT count(*) FROM bookwork_private.notify(
        notice_kind,
        CASE WHEN EXISTS (SELECT 1 FROM public.events e
                           WHERE e.id = event
                             AND (e.club_id = ANY (bookwork_private.viewer_club_ids())
                                  OR bookwork_private.viewer_is_staff()))
             THEN recipients ELSE '{}' END,
        bookwork_private.event_payload(event) || COALESCE(extra, '{}'::jsonb))
$$;


ALTER FUNCTION bookwork_private.notify_about_event(notice_kind text, event uuid, recipients uuid[], extra jsonb) OWNER TO bookwork_owner;

--
-- Name: notify_club_event(text, uuid, uuid, jsonb); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.notify_club_event(notice_kind text, event uuid, actor uuid, extra jsonb) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT bookwork_private.notify_about_event(
        notice_kind, event,
        ARRAY(SELECT m.user_id FROM public.club_members m JOIN public.events e ON e.club_id = m.club_id
               WHERE e.id = event AND m.is_active AND m.user_id IS DISTINCT FROM actor),
        extra)
$$;


ALTER FUNCTION bookwork_private.notify_club_event(notice_kind text, event uuid, actor uuid, extra jsonb) OWNER TO bookwork_owner;

--
-- Name: notify_comment(uuid, uuid[]); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.notify_comment(comment uuid, mentioned uuid[]) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    c public.comments;
    answered uuid;
    payload jsonb;
    told bigint := 0;
BEGIN
    SELECT * INTO c FROM public.comments WHERE id = comment;
    IF c.id IS NULL OR c.author_id IS DISTINCT FROM bookwork_private.viewer() OR c.created_at <> now() THEN
        RETURN 0;
    END IF;
    payload := bookwork_private.discussion_payload(c.section_id, c.event_id) || jsonb_build_object(
        'comment_id', c.id,
        'actor', (SELECT u.name FROM public.users u WHERE u.id = c.author_id));
    SELECT p.author_id INTO answered
      FROM public.comments p
      JOIN public.club_members m ON m.club_id = p.club_id AND m.user_id = p.author_id AND m.is_active
     WHERE p.id = c.parent_id AND p.author_id <> c.author_id;
    IF answered IS NOT NULL THEN
        told := told + (SELECT count(*) FROM bookwork_private.notify('comment_reply', ARRAY[answered], payload));
    END IF;
    told := told + (SELECT count(*) FROM bookwork_private.notify('mention',
        ARRAY(SELECT m.user_id FROM public.club_members m
               WHERE m.club_id = c.club_id AND m.is_active AND m.user_id = ANY (mentioned)
                 AND m.user_id <> c.author_id AND m.user_id IS DISTINCT FROM answered),
        payload));
    RETURN told;
END
$$;


ALTER FUNCTION bookwork_private.notify_comment(comment uuid, mentioned uuid[]) OWNER TO bookwork_owner;

--
-- Name: notify_join_request(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.notify_join_request(request uuid) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    r record;
    told bigint;
BEGIN
    SELECT q.id, q.club_id, q.user_id, q.message, q.status, q.created_at, q.decided_at, q.decided_by,
           c.name AS club_name, u.name AS asker_name
      INTO r
      FROM public.join_requests q
      JOIN public.clubs c ON c.id = q.club_id
      JOIN public.users u ON u.id = q.user_id
     WHERE q.id = request;
    IF NOT FOUND OR me IS NULL THEN
        RETURN 0;
    END IF;
    IF r.status = 'pending' AND r.user_id = me AND r.created_at = now() THEN
        SELECT count(*) INTO told FROM bookwork_private.notify(
            'join_requested',
            ARRAY(SELECT m.user_id FROM public.club_members m
                   WHERE m.club_id = r.club_id AND m.is_active AND m.role = 'admin'),
            jsonb_build_object('club_id', r.club_id, 'club_name', r.club_name,
                               'actor', r.asker_name, 'message', r.message));
        RETURN told;
    END IF;
    IF r.status IN ('approved', 'declined') AND r.decided_by = me AND r.decided_at = now() THEN
        SELECT count(*) INTO told FROM bookwork_private.notify(
            'join_answered', ARRAY[r.user_id],
            jsonb_build_object('club_id', r.club_id, 'club_name', r.club_name,
                               'decision', r.status));
        RETURN told;
    END IF;
    RETURN 0;
END
$$;


ALTER FUNCTION bookwork_private.notify_join_request(request uuid) OWNER TO bookwork_owner;

--
-- Name: notify_poll_opened(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.notify_poll_opened(poll uuid) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.notify_poll_opened(poll uuid) OWNER TO bookwork_owner;

--
-- Name: plan_reminders(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.plan_reminders(event uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.plan_reminders(event uuid) OWNER TO bookwork_owner;

--
-- Name: poll_club(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.poll_club(poll uuid) RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN (SELECT p.club_id FROM public.polls p JOIN public.clubs c ON c.id = p.club_id
             WHERE p.id = poll
               AND (c.is_public OR c.id = ANY (bookwork_private.viewer_club_ids())
                    OR bookwork_private.viewer_is_staff()));
END
$$;


ALTER FUNCTION bookwork_private.poll_club(poll uuid) OWNER TO bookwork_owner;

--
-- Name: poll_payload(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.poll_payload(poll uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT jsonb_build_object(
        'poll_id', p.id, 'poll_title', p.title, 'poll_kind', p.kind, 'club_id', c.id, 'club_name', c.name,
        'starts_at', p.closes_at, 'event_zone', c.time_zone)
      FROM public.polls p JOIN public.clubs c ON c.id = p.club_id
     WHERE p.id = poll
$$;


ALTER FUNCTION bookwork_private.poll_payload(poll uuid) OWNER TO bookwork_owner;

--
-- Name: poll_rankings(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.poll_rankings(poll uuid) RETURNS SETOF uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.poll_rankings(poll uuid) OWNER TO bookwork_owner;

--
-- Name: poll_voters_to_tell(uuid, uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.poll_voters_to_tell(poll uuid, actor uuid) RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT ARRAY(
        SELECT m.user_id FROM public.club_members m JOIN public.polls p ON p.club_id = m.club_id
         WHERE p.id = poll AND m.is_active AND m.role IN ('member', 'moderator', 'admin')
           AND m.user_id IS DISTINCT FROM actor
           AND NOT EXISTS (SELECT 1 FROM public.ballots b WHERE b.poll_id = p.id AND b.user_id = m.user_id)
           AND NOT EXISTS (SELECT 1 FROM public.date_answers a WHERE a.poll_id = p.id AND a.user_id = m.user_id))
$$;


ALTER FUNCTION bookwork_private.poll_voters_to_tell(poll uuid, actor uuid) OWNER TO bookwork_owner;

--
-- Name: promote_waitlist(uuid, integer); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.promote_waitlist(event uuid, max_attendees integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.promote_waitlist(event uuid, max_attendees integer) OWNER TO bookwork_owner;

--
-- Name: refresh_event_instants(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.refresh_event_instants() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    moved bigint;
BEGIN
    UPDATE public.events SET starts_at = (event_date + event_time) AT TIME ZONE time_zone
     WHERE starts_at >= now() - interval '1 day'
       AND starts_at <> (event_date + event_time) AT TIME ZONE time_zone;
    GET DIAGNOSTICS moved = ROW_COUNT;
    RETURN moved;
END
$$;


ALTER FUNCTION bookwork_private.refresh_event_instants() OWNER TO bookwork_owner;

--
-- Name: section_payload(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.section_payload(section uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT jsonb_build_object(
        'club_id', c.id, 'club_name', c.name, 'section_id', s.id, 'section_title', s.title,
        'book_id', b.id, 'book_title', b.title)
      FROM public.reading_sections s
      JOIN public.books b ON b.id = s.book_id
      JOIN public.clubs c ON c.id = s.club_id
     WHERE s.id = section
$$;


ALTER FUNCTION bookwork_private.section_payload(section uuid) OWNER TO bookwork_owner;

--
-- Name: skip_poll_notices(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.skip_poll_notices(poll uuid) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
    WITH skipped AS (
        UPDATE public.notifications n SET email_status = 'skipped'
         WHERE n.email_status = 'pending' AND n.payload->>'poll_id' = poll::text
           AND EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll
                         AND (p.club_id = ANY (bookwork_private.viewer_club_ids('moderator'))
                              OR bookwork_private.viewer_is_staff()))
        RETURNING 1)
    SELECT count(*) FROM skipped
$$;


ALTER FUNCTION bookwork_private.skip_poll_notices(poll uuid) OWNER TO bookwork_owner;

--
-- Name: swap_hosts(uuid, uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.swap_hosts(a uuid, b uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
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


ALTER FUNCTION bookwork_private.swap_hosts(a uuid, b uuid) OWNER TO bookwork_owner;

--
-- Name: take_closing_polls(integer); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.take_closing_polls(batch integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.take_closing_polls(batch integer) OWNER TO bookwork_owner;

--
-- Name: take_due_reminders(integer); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.take_due_reminders(batch integer) RETURNS integer
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


ALTER FUNCTION bookwork_private.take_due_reminders(batch integer) OWNER TO bookwork_owner;

--
-- Name: take_reading_targets(integer); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.take_reading_targets(batch integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    r record;
    taken integer := 0;
BEGIN
    FOR r IN SELECT s.id, s.club_id, s.target_date
               FROM public.reading_sections s
               JOIN public.clubs c ON c.id = s.club_id
               JOIN public.books b ON b.id = s.book_id AND b.shelf = 'reading'
              WHERE s.target_date = (now() AT TIME ZONE c.time_zone)::date + 1
                AND s.target_noticed IS DISTINCT FROM s.target_date
              ORDER BY s.id LIMIT batch
                FOR UPDATE OF s SKIP LOCKED
    LOOP
        UPDATE public.reading_sections SET target_noticed = r.target_date WHERE id = r.id;
        taken := taken + 1;
        PERFORM bookwork_private.notify(
            'reading_target',
            ARRAY(SELECT m.user_id FROM public.club_members m
                   WHERE m.club_id = r.club_id AND m.is_active
                     AND NOT EXISTS (SELECT 1 FROM public.reading_marks k
                                      WHERE k.section_id = r.id AND k.user_id = m.user_id)),
            bookwork_private.section_payload(r.id)
                || jsonb_build_object('target_date', to_char(r.target_date, 'Dy FMDD Mon')));
    END LOOP;
    RETURN taken;
END
$$;


ALTER FUNCTION bookwork_private.take_reading_targets(batch integer) OWNER TO bookwork_owner;

--
-- Name: tally_clubs(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.tally_clubs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    clubs_added bigint := 0;
    public_added bigint := 0;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE bookwork_private.club_tally SET all_clubs = 0, public_clubs = 0;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        public_added := public_added + CASE WHEN NEW.is_public THEN 1 ELSE 0 END;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        public_added := public_added - CASE WHEN OLD.is_public THEN 1 ELSE 0 END;
    END IF;
    clubs_added := CASE TG_OP WHEN 'INSERT' THEN 1 WHEN 'DELETE' THEN -1 ELSE 0 END;
    IF clubs_added <> 0 OR public_added <> 0 THEN
        UPDATE bookwork_private.club_tally
           SET all_clubs = all_clubs + clubs_added, public_clubs = public_clubs + public_added;
    END IF;
    RETURN NULL;
END
$$;


ALTER FUNCTION bookwork_private.tally_clubs() OWNER TO bookwork_owner;

--
-- Name: viewer(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.viewer() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
    SELECT NULLIF(pg_catalog.current_setting('app.user_id', true), '')::pg_catalog.uuid
$$;


ALTER FUNCTION bookwork_private.viewer() OWNER TO bookwork_owner;

--
-- Name: viewer_club_ids(text); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.viewer_club_ids(least_role text DEFAULT 'guest'::text) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    setting text := 'bookwork.clubs_' || least_role;
    kept text;
    ids uuid[];
BEGIN
    IF me IS NULL THEN
        RETURN '{}';
    END IF;
    kept := pg_catalog.current_setting(setting, true);
    IF pg_catalog.left(kept, 37) = me::text || ':' THEN
        RETURN pg_catalog.substr(kept, 38)::uuid[];
    END IF;
    ids := (SELECT coalesce(array_agg(m.club_id), '{}')
              FROM public.club_members m JOIN public.users u ON u.id = m.user_id
             WHERE m.user_id = me AND m.is_active AND u.is_active
               AND array_position(ARRAY['guest', 'member', 'moderator', 'admin'], m.role::text)
                   >= array_position(ARRAY['guest', 'member', 'moderator', 'admin'], least_role));
    PERFORM pg_catalog.set_config(setting, me::text || ':' || ids::text, true);
    RETURN ids;
END
$$;


ALTER FUNCTION bookwork_private.viewer_club_ids(least_role text) OWNER TO bookwork_owner;

--
-- Name: viewer_is_site_admin(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.viewer_is_site_admin() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT bookwork_private.viewer_site_role() = 'admin'
$$;


ALTER FUNCTION bookwork_private.viewer_is_site_admin() OWNER TO bookwork_owner;

--
-- Name: viewer_is_staff(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.viewer_is_staff() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT bookwork_private.viewer_site_role() IN ('admin', 'moderator')
$$;


ALTER FUNCTION bookwork_private.viewer_is_staff() OWNER TO bookwork_owner;

--
-- Name: viewer_role_in(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.viewer_role_in(club uuid) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    RETURN (SELECT m.role::text FROM public.club_members m
     WHERE m.club_id = club AND m.user_id = bookwork_private.viewer() AND m.is_active);
END
$$;


ALTER FUNCTION bookwork_private.viewer_role_in(club uuid) OWNER TO bookwork_owner;

--
-- Name: viewer_site_role(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.viewer_site_role() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    kept text;
    site_role text;
BEGIN
    IF me IS NULL THEN
        RETURN '';
    END IF;
    kept := pg_catalog.current_setting('bookwork.site_role', true);
    IF pg_catalog.left(kept, 37) = me::text || ':' THEN
        RETURN pg_catalog.substr(kept, 38);
    END IF;
    site_role := coalesce((SELECT u.role::text FROM public.users u
                            WHERE u.id = me AND u.is_active), '');
    PERFORM pg_catalog.set_config('bookwork.site_role', me::text || ':' || site_role, true);
    RETURN site_role;
END
$$;


ALTER FUNCTION bookwork_private.viewer_site_role() OWNER TO bookwork_owner;

--
-- Name: viewer_voted_polls(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.viewer_voted_polls(club uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION bookwork_private.viewer_voted_polls(club uuid) OWNER TO bookwork_owner;

--
-- Name: visible_club_total(); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.visible_club_total() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
    IF bookwork_private.viewer_is_staff() THEN
        RETURN (SELECT t.all_clubs FROM bookwork_private.club_tally t);
    END IF;
    RETURN (SELECT t.public_clubs FROM bookwork_private.club_tally t)
         + (SELECT count(*) FROM public.club_members m JOIN public.clubs c ON c.id = m.club_id
             WHERE m.user_id = bookwork_private.viewer() AND m.is_active AND NOT c.is_public);
END
$$;


ALTER FUNCTION bookwork_private.visible_club_total() OWNER TO bookwork_owner;

--
-- Name: volunteer_for_item(uuid); Type: FUNCTION; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE FUNCTION bookwork_private.volunteer_for_item(item uuid) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
    me uuid := bookwork_private.viewer();
    target record;
BEGIN
    SELECT i.id, i.assigned_to, i.category, e.club_id, e.cancelled_at, e.starts_at
      INTO target
      FROM public.event_items i JOIN public.events e ON e.id = i.event_id
     WHERE i.id = volunteer_for_item.item
       FOR UPDATE OF i;
    IF NOT FOUND OR me IS NULL THEN
        RETURN 'unknown';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.club_members m
                    WHERE m.club_id = target.club_id AND m.user_id = me AND m.is_active) THEN
        RETURN 'not_member';
    END IF;
    IF target.cancelled_at IS NOT NULL OR target.starts_at <= now() THEN
        RETURN 'closed';
    END IF;
    IF target.category NOT IN ('task', 'material') THEN
        RETURN 'not_a_task';
    END IF;
    IF target.assigned_to = me THEN
        RETURN 'already_yours';
    END IF;
    IF target.assigned_to IS NOT NULL THEN
        RETURN 'taken';
    END IF;
    UPDATE public.event_items SET assigned_to = me WHERE id = target.id;
    RETURN 'taken_on';
END
$$;


ALTER FUNCTION bookwork_private.volunteer_for_item(item uuid) OWNER TO bookwork_owner;

--
-- Name: gauges_now(); Type: FUNCTION; Schema: monitoring; Owner: bookwork_owner
--

CREATE FUNCTION monitoring.gauges_now() RETURNS TABLE(connections bigint, max_connections integer, longest_transaction_seconds double precision, emails_due bigint, oldest_email_due_seconds double precision, cleanup_last_success double precision, backup_last_success double precision)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT (SELECT count(*) FROM pg_catalog.pg_stat_activity a WHERE a.backend_type = 'client backend'),
           pg_catalog.current_setting('max_connections')::integer,
           (SELECT COALESCE(max(extract(epoch FROM now() - a.xact_start)), 0)::float8
              FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.xact_start IS NOT NULL
               AND a.pid <> pg_catalog.pg_backend_pid()),
           e.due, e.oldest,
           COALESCE((SELECT extract(epoch FROM m.finished_at)::float8
                       FROM public.maintenance_runs m WHERE m.job = 'clean_up'), 0),
           COALESCE((SELECT extract(epoch FROM max(b.finished_at))::float8 FROM monitoring.backups b), 0)
      FROM (SELECT count(*) AS due,
                   COALESCE(extract(epoch FROM now() - min(n.email_due_at)), 0)::float8 AS oldest
              FROM public.notifications n
             WHERE n.email_status = 'pending' AND n.email_due_at <= now()) e
$$;


ALTER FUNCTION monitoring.gauges_now() OWNER TO bookwork_owner;

--
-- Name: health_now(); Type: FUNCTION; Schema: monitoring; Owner: bookwork_owner
--

CREATE FUNCTION monitoring.health_now() RETURNS TABLE(database_size bigint, connections bigint, active bigint, idle_in_transaction bigint, longest_transaction interval, cache_hit_ratio numeric, deadlocks bigint, commits bigint, rollbacks bigint, users bigint, active_users bigint, clubs bigint, events bigint, upcoming_events bigint, rsvps bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
    SELECT pg_catalog.pg_database_size(pg_catalog.current_database()),
           (SELECT count(*) FROM pg_catalog.pg_stat_activity a WHERE a.datname = pg_catalog.current_database()),
           (SELECT count(*) FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.state = 'active'),
           (SELECT count(*) FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.state LIKE 'idle in transaction%'),
           (SELECT COALESCE(max(now() - a.xact_start), interval '0') FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.xact_start IS NOT NULL),
           (SELECT round(d.blks_hit::numeric / NULLIF(d.blks_hit + d.blks_read, 0), 4)
              FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
           (SELECT d.deadlocks FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
           (SELECT d.xact_commit FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
           (SELECT d.xact_rollback FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
           (SELECT count(*) FROM public.users),
           (SELECT count(*) FROM public.users u WHERE u.is_active),
           (SELECT count(*) FROM public.clubs),
           (SELECT count(*) FROM public.events),
           (SELECT count(*) FROM public.events e WHERE e.starts_at > now() AND e.cancelled_at IS NULL),
           (SELECT count(*) FROM public.availability)
$$;


ALTER FUNCTION monitoring.health_now() OWNER TO bookwork_owner;

--
-- Name: record_backup(text, text); Type: FUNCTION; Schema: monitoring; Owner: bookwork_owner
--

CREATE FUNCTION monitoring.record_backup(kind text, label text DEFAULT NULL::text) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
    INSERT INTO monitoring.backups (kind, label) VALUES (kind, label);
    -- A year of nightly backups is plenty to look back on.
    DELETE FROM monitoring.backups WHERE finished_at < now() - interval '400 days';
$$;


ALTER FUNCTION monitoring.record_backup(kind text, label text) OWNER TO bookwork_owner;

--
-- Name: slow_queries_now(integer); Type: FUNCTION; Schema: monitoring; Owner: bookwork_owner
--

CREATE FUNCTION monitoring.slow_queries_now(max_rows integer DEFAULT 50) RETURNS TABLE(query text, calls bigint, total_ms double precision, mean_ms double precision, max_ms double precision, rows bigint, shared_blks_hit bigint, shared_blks_read bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $_$
DECLARE
    home name;
BEGIN
    SELECT n.nspname INTO home FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_stat_statements';
    IF home IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT s.query, s.calls, s.total_exec_time, s.mean_exec_time, s.max_exec_time, s.rows,
                s.shared_blks_hit, s.shared_blks_read
           FROM %I.pg_stat_statements s
          WHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
          ORDER BY s.mean_exec_time DESC
          LIMIT $1', home) USING max_rows;
EXCEPTION WHEN object_not_in_prerequisite_state THEN
    -- Installed but not loaded: nothing to show yet.
    RETURN;
END
$_$;


ALTER FUNCTION monitoring.slow_queries_now(max_rows integer) OWNER TO bookwork_owner;

--
-- Name: cleanup_expired_tokens(); Type: FUNCTION; Schema: public; Owner: bookwork_owner
--

CREATE FUNCTION public.cleanup_expired_tokens() RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    deleted_count integer;
BEGIN
    DELETE FROM refresh_tokens WHERE expires_at < now() OR is_revoked;
    GET DIAGNOSTICS deleted_count = ROW_COUNT;
    RETURN deleted_count;
END;
$$;


ALTER FUNCTION public.cleanup_expired_tokens() OWNER TO bookwork_owner;

--
-- Name: events_derive_starts_at(); Type: FUNCTION; Schema: public; Owner: bookwork_owner
--

CREATE FUNCTION public.events_derive_starts_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.starts_at := (NEW.event_date + NEW.event_time) AT TIME ZONE NEW.time_zone;
    RETURN NEW;
END
$$;


ALTER FUNCTION public.events_derive_starts_at() OWNER TO bookwork_owner;

--
-- Name: notice_time(timestamp with time zone, text); Type: FUNCTION; Schema: public; Owner: bookwork_owner
--

CREATE FUNCTION public.notice_time(at timestamp with time zone, zone text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT to_char(at AT TIME ZONE zone, 'Dy FMDD Mon YYYY, HH24:MI') || ' (' || zone || ')'
$$;


ALTER FUNCTION public.notice_time(at timestamp with time zone, zone text) OWNER TO bookwork_owner;

--
-- Name: update_updated_at_column(); Type: FUNCTION; Schema: public; Owner: bookwork_owner
--

CREATE FUNCTION public.update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$;


ALTER FUNCTION public.update_updated_at_column() OWNER TO bookwork_owner;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: club_tally; Type: TABLE; Schema: bookwork_private; Owner: bookwork_owner
--

CREATE TABLE bookwork_private.club_tally (
    only_row boolean DEFAULT true NOT NULL,
    all_clubs bigint NOT NULL,
    public_clubs bigint NOT NULL,
    CONSTRAINT club_tally_all_clubs_check CHECK ((all_clubs >= 0)),
    CONSTRAINT club_tally_only_row_check CHECK (only_row),
    CONSTRAINT club_tally_public_clubs_check CHECK ((public_clubs >= 0))
);


ALTER TABLE bookwork_private.club_tally OWNER TO bookwork_owner;

--
-- Name: backups; Type: TABLE; Schema: monitoring; Owner: bookwork_owner
--

CREATE TABLE monitoring.backups (
    id bigint NOT NULL,
    finished_at timestamp with time zone DEFAULT now() NOT NULL,
    kind text NOT NULL,
    label text,
    CONSTRAINT backups_kind_check CHECK ((kind = ANY (ARRAY['full'::text, 'diff'::text, 'incr'::text]))),
    CONSTRAINT backups_label_check CHECK ((char_length(label) <= 100))
);


ALTER TABLE monitoring.backups OWNER TO bookwork_owner;

--
-- Name: backups_id_seq; Type: SEQUENCE; Schema: monitoring; Owner: bookwork_owner
--

ALTER TABLE monitoring.backups ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME monitoring.backups_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: db_health_summary; Type: VIEW; Schema: monitoring; Owner: bookwork_owner
--

CREATE VIEW monitoring.db_health_summary AS
 SELECT health_now.database_size,
    health_now.connections,
    health_now.active,
    health_now.idle_in_transaction,
    health_now.longest_transaction,
    health_now.cache_hit_ratio,
    health_now.deadlocks,
    health_now.commits,
    health_now.rollbacks,
    health_now.users,
    health_now.active_users,
    health_now.clubs,
    health_now.events,
    health_now.upcoming_events,
    health_now.rsvps
   FROM monitoring.health_now() health_now(database_size, connections, active, idle_in_transaction, longest_transaction, cache_hit_ratio, deadlocks, commits, rollbacks, users, active_users, clubs, events, upcoming_events, rsvps);


ALTER TABLE monitoring.db_health_summary OWNER TO bookwork_owner;

--
-- Name: slow_queries; Type: VIEW; Schema: monitoring; Owner: bookwork_owner
--

CREATE VIEW monitoring.slow_queries AS
 SELECT slow_queries_now.query,
    slow_queries_now.calls,
    slow_queries_now.total_ms,
    slow_queries_now.mean_ms,
    slow_queries_now.max_ms,
    slow_queries_now.rows,
    slow_queries_now.shared_blks_hit,
    slow_queries_now.shared_blks_read
   FROM monitoring.slow_queries_now(50) slow_queries_now(query, calls, total_ms, mean_ms, max_ms, rows, shared_blks_hit, shared_blks_read);


ALTER TABLE monitoring.slow_queries OWNER TO bookwork_owner;

--
-- Name: table_sizes; Type: VIEW; Schema: monitoring; Owner: bookwork_owner
--

CREATE VIEW monitoring.table_sizes AS
 SELECT n.nspname AS schema,
    c.relname AS table_name,
    pg_total_relation_size((c.oid)::regclass) AS total_bytes,
    pg_relation_size((c.oid)::regclass) AS table_bytes,
    pg_indexes_size((c.oid)::regclass) AS index_bytes,
    (GREATEST(c.reltuples, (0)::real))::bigint AS estimated_rows
   FROM (pg_class c
     JOIN pg_namespace n ON ((n.oid = c.relnamespace)))
  WHERE ((c.relkind = ANY (ARRAY['r'::"char", 'p'::"char"])) AND (n.nspname = ANY (ARRAY['public'::name, 'tower_sessions'::name])))
  ORDER BY (pg_total_relation_size((c.oid)::regclass)) DESC;


ALTER TABLE monitoring.table_sizes OWNER TO bookwork_owner;

--
-- Name: unused_indexes; Type: VIEW; Schema: monitoring; Owner: bookwork_owner
--

CREATE VIEW monitoring.unused_indexes AS
 SELECT s.schemaname AS schema,
    s.relname AS table_name,
    s.indexrelname AS index_name,
    pg_relation_size((s.indexrelid)::regclass) AS index_bytes,
    s.idx_scan AS scans
   FROM (pg_stat_user_indexes s
     JOIN pg_index i ON ((i.indexrelid = s.indexrelid)))
  WHERE ((s.idx_scan = 0) AND (NOT i.indisunique) AND (NOT i.indisprimary) AND (s.schemaname = ANY (ARRAY['public'::name, 'tower_sessions'::name])))
  ORDER BY (pg_relation_size((s.indexrelid)::regclass)) DESC;


ALTER TABLE monitoring.unused_indexes OWNER TO bookwork_owner;

--
-- Name: api_idempotency_keys; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.api_idempotency_keys (
    holder uuid NOT NULL,
    user_id uuid NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    status smallint,
    location text,
    body jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT api_idempotency_keys_key_length CHECK (((char_length(key) >= 1) AND (char_length(key) <= 255))),
    CONSTRAINT api_idempotency_keys_status CHECK (((status >= 200) AND (status <= 599)))
);

ALTER TABLE ONLY public.api_idempotency_keys FORCE ROW LEVEL SECURITY;


ALTER TABLE public.api_idempotency_keys OWNER TO bookwork_owner;

--
-- Name: api_request_counts; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.api_request_counts (
    holder uuid NOT NULL,
    window_start timestamp with time zone NOT NULL,
    requests integer NOT NULL,
    CONSTRAINT api_request_counts_positive CHECK ((requests > 0))
);


ALTER TABLE public.api_request_counts OWNER TO bookwork_owner;

--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.api_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    scopes text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT api_tokens_expiry_after_creation CHECK (((expires_at IS NULL) OR (expires_at > created_at))),
    CONSTRAINT api_tokens_name_length CHECK (((char_length(btrim(name)) >= 1) AND (char_length(btrim(name)) <= 100))),
    CONSTRAINT api_tokens_scopes CHECK (((cardinality(scopes) >= 1) AND (scopes <@ ARRAY['read'::text, 'write'::text])))
);

ALTER TABLE ONLY public.api_tokens FORCE ROW LEVEL SECURITY;


ALTER TABLE public.api_tokens OWNER TO bookwork_owner;

--
-- Name: auth_attempts; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.auth_attempts (
    id bigint NOT NULL,
    key character varying(320) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.auth_attempts OWNER TO bookwork_owner;

--
-- Name: auth_attempts_id_seq; Type: SEQUENCE; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.auth_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.auth_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: availability; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.availability (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_id uuid NOT NULL,
    user_id uuid NOT NULL,
    status character varying(20) NOT NULL,
    notes text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    arrival bigint NOT NULL,
    waitlisted boolean DEFAULT false NOT NULL,
    CONSTRAINT availability_status_check CHECK (((status)::text = ANY ((ARRAY['available'::character varying, 'unavailable'::character varying, 'maybe'::character varying])::text[]))),
    CONSTRAINT availability_waitlist_needs_available CHECK (((NOT waitlisted) OR ((status)::text = 'available'::text)))
);

ALTER TABLE ONLY public.availability FORCE ROW LEVEL SECURITY;


ALTER TABLE public.availability OWNER TO bookwork_owner;

--
-- Name: availability_arrival_seq; Type: SEQUENCE; Schema: public; Owner: bookwork_owner
--

CREATE SEQUENCE public.availability_arrival_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.availability_arrival_seq OWNER TO bookwork_owner;

--
-- Name: availability_arrival_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: bookwork_owner
--

ALTER SEQUENCE public.availability_arrival_seq OWNED BY public.availability.arrival;


--
-- Name: ballots; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.ballots (
    poll_id uuid NOT NULL,
    user_id uuid NOT NULL,
    ranking uuid[] NOT NULL,
    cast_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.ballots FORCE ROW LEVEL SECURITY;


ALTER TABLE public.ballots OWNER TO bookwork_owner;

--
-- Name: books; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.books (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    title character varying(255) NOT NULL,
    authors character varying(255) DEFAULT ''::character varying NOT NULL,
    isbn13 character(13),
    cover_url character varying(2048),
    pages integer,
    description character varying(2000) DEFAULT ''::character varying NOT NULL,
    shelf text DEFAULT 'suggested'::text NOT NULL,
    suggested_by uuid,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    shelved_at timestamp with time zone DEFAULT now() NOT NULL,
    started_on date,
    finished_on date,
    CONSTRAINT books_cover_url_check CHECK (((cover_url)::text ~~ 'https://%'::text)),
    CONSTRAINT books_isbn13_check CHECK ((isbn13 ~ '^97[89][0-9]{10}$'::text)),
    CONSTRAINT books_pages_check CHECK (((pages >= 1) AND (pages <= 99999))),
    CONSTRAINT books_shelf_check CHECK ((shelf = ANY (ARRAY['suggested'::text, 'up_next'::text, 'reading'::text, 'read'::text]))),
    CONSTRAINT books_title_check CHECK ((btrim((title)::text) <> ''::text))
);

ALTER TABLE ONLY public.books FORCE ROW LEVEL SECURITY;


ALTER TABLE public.books OWNER TO bookwork_owner;

--
-- Name: calendar_feeds; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.calendar_feeds (
    user_id uuid NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.calendar_feeds OWNER TO bookwork_owner;

--
-- Name: club_invites; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.club_invites (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    max_uses integer NOT NULL,
    uses integer DEFAULT 0 NOT NULL,
    revoked_at timestamp with time zone,
    emailed boolean DEFAULT false NOT NULL,
    sent_to text,
    CONSTRAINT club_invites_check CHECK (((uses >= 0) AND (uses <= max_uses))),
    CONSTRAINT club_invites_expiry_after_creation CHECK ((expires_at > created_at)),
    CONSTRAINT club_invites_max_uses_check CHECK ((max_uses > 0)),
    CONSTRAINT club_invites_sent_to_length CHECK ((char_length(sent_to) <= 255))
);

ALTER TABLE ONLY public.club_invites FORCE ROW LEVEL SECURITY;


ALTER TABLE public.club_invites OWNER TO bookwork_owner;

--
-- Name: club_members; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.club_members (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role character varying(20) DEFAULT 'member'::character varying NOT NULL,
    joined_date timestamp with time zone DEFAULT now() NOT NULL,
    books_read integer DEFAULT 0 NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    CONSTRAINT club_members_books_read_check CHECK ((books_read >= 0)),
    CONSTRAINT club_members_role_check CHECK (((role)::text = ANY ((ARRAY['admin'::character varying, 'moderator'::character varying, 'member'::character varying, 'guest'::character varying])::text[])))
);

ALTER TABLE ONLY public.club_members FORCE ROW LEVEL SECURITY;


ALTER TABLE public.club_members OWNER TO bookwork_owner;

--
-- Name: clubs; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.clubs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    owner_id uuid,
    is_public boolean DEFAULT false NOT NULL,
    max_members integer,
    meeting_frequency character varying(50),
    location character varying(255),
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    time_zone text DEFAULT 'UTC'::text NOT NULL,
    search tsvector GENERATED ALWAYS AS ((setweight(to_tsvector('english'::regconfig, (COALESCE(name, ''::character varying))::text), 'A'::"char") || setweight(to_tsvector('english'::regconfig, COALESCE(description, ''::text)), 'B'::"char"))) STORED,
    reminder_minutes integer[] DEFAULT '{1440,120}'::integer[] NOT NULL,
    remind_unanswered boolean DEFAULT false NOT NULL,
    member_total integer DEFAULT 0 NOT NULL,
    join_by_request boolean DEFAULT false NOT NULL,
    CONSTRAINT clubs_max_members_check CHECK ((max_members > 0)),
    CONSTRAINT clubs_member_total_not_negative CHECK ((member_total >= 0)),
    CONSTRAINT clubs_reminder_minutes_sane CHECK (((cardinality(reminder_minutes) <= 6) AND (5 <= ALL (reminder_minutes)) AND (40320 >= ALL (reminder_minutes))))
);

ALTER TABLE ONLY public.clubs FORCE ROW LEVEL SECURITY;


ALTER TABLE public.clubs OWNER TO bookwork_owner;

--
-- Name: comment_reports; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.comment_reports (
    comment_id uuid NOT NULL,
    club_id uuid NOT NULL,
    reporter_id uuid NOT NULL,
    reason text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    resolved_at timestamp with time zone,
    CONSTRAINT comment_reports_reason CHECK (((btrim(reason) <> ''::text) AND (char_length(reason) <= 500)))
);

ALTER TABLE ONLY public.comment_reports FORCE ROW LEVEL SECURITY;


ALTER TABLE public.comment_reports OWNER TO bookwork_owner;

--
-- Name: comments; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.comments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    section_id uuid,
    author_id uuid,
    parent_id uuid,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    edited_at timestamp with time zone,
    deleted_at timestamp with time zone,
    revision integer DEFAULT 0 NOT NULL,
    hidden_at timestamp with time zone,
    hidden_by uuid,
    hidden_reason text,
    event_id uuid,
    CONSTRAINT comments_body_length CHECK ((char_length(body) <= 10000)),
    CONSTRAINT comments_deleted_have_no_text CHECK (((deleted_at IS NULL) = (btrim(body) <> ''::text))),
    CONSTRAINT comments_hidden_reason CHECK (((btrim(hidden_reason) <> ''::text) AND (char_length(hidden_reason) <= 500))),
    CONSTRAINT comments_hidden_with_reason CHECK (((hidden_at IS NULL) = (hidden_reason IS NULL))),
    CONSTRAINT comments_one_discussion CHECK (((section_id IS NULL) <> (event_id IS NULL)))
);

ALTER TABLE ONLY public.comments FORCE ROW LEVEL SECURITY;


ALTER TABLE public.comments OWNER TO bookwork_owner;

--
-- Name: date_answers; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.date_answers (
    option_id uuid NOT NULL,
    poll_id uuid NOT NULL,
    user_id uuid NOT NULL,
    answer text NOT NULL,
    answered_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT date_answers_answer_check CHECK ((answer = ANY (ARRAY['yes'::text, 'maybe'::text, 'no'::text])))
);

ALTER TABLE ONLY public.date_answers FORCE ROW LEVEL SECURITY;


ALTER TABLE public.date_answers OWNER TO bookwork_owner;

--
-- Name: event_items; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.event_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_id uuid NOT NULL,
    name character varying(255) NOT NULL,
    category character varying(50) DEFAULT 'other'::character varying NOT NULL,
    assigned_to uuid,
    status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    notes text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT event_items_category_check CHECK (((category)::text = ANY ((ARRAY['agenda'::character varying, 'task'::character varying, 'material'::character varying, 'note'::character varying, 'other'::character varying])::text[]))),
    CONSTRAINT event_items_status_check CHECK (((status)::text = ANY ((ARRAY['pending'::character varying, 'in_progress'::character varying, 'completed'::character varying, 'cancelled'::character varying])::text[])))
);

ALTER TABLE ONLY public.event_items FORCE ROW LEVEL SECURITY;


ALTER TABLE public.event_items OWNER TO bookwork_owner;

--
-- Name: event_reminders; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.event_reminders (
    event_id uuid NOT NULL,
    minutes_before integer NOT NULL,
    due_at timestamp with time zone NOT NULL,
    done_at timestamp with time zone
);


ALTER TABLE public.event_reminders OWNER TO bookwork_owner;

--
-- Name: events; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    title character varying(255) NOT NULL,
    description text,
    event_date date NOT NULL,
    event_time time without time zone NOT NULL,
    location character varying(255) NOT NULL,
    book character varying(255),
    type character varying(50) DEFAULT 'discussion'::character varying NOT NULL,
    max_attendees integer,
    is_public boolean DEFAULT false NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    time_zone text DEFAULT 'UTC'::text NOT NULL,
    cancelled_at timestamp with time zone,
    starts_at timestamp with time zone NOT NULL,
    book_id uuid,
    host_id uuid,
    CONSTRAINT events_max_attendees_check CHECK ((max_attendees > 0)),
    CONSTRAINT events_type_check CHECK (((type)::text = ANY ((ARRAY['discussion'::character varying, 'meeting'::character varying, 'social'::character varying, 'planning'::character varying, 'other'::character varying])::text[])))
);

ALTER TABLE ONLY public.events FORCE ROW LEVEL SECURITY;


ALTER TABLE public.events OWNER TO bookwork_owner;

--
-- Name: host_volunteers; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.host_volunteers (
    club_id uuid NOT NULL,
    user_id uuid NOT NULL,
    since timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.host_volunteers FORCE ROW LEVEL SECURITY;


ALTER TABLE public.host_volunteers OWNER TO bookwork_owner;

--
-- Name: join_requests; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.join_requests (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    user_id uuid NOT NULL,
    message text DEFAULT ''::text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    decided_at timestamp with time zone,
    decided_by uuid,
    CONSTRAINT join_requests_decided CHECK (((status = 'pending'::text) = (decided_at IS NULL))),
    CONSTRAINT join_requests_message_length CHECK ((char_length(message) <= 500)),
    CONSTRAINT join_requests_status CHECK ((status = ANY (ARRAY['pending'::text, 'approved'::text, 'declined'::text, 'withdrawn'::text])))
);

ALTER TABLE ONLY public.join_requests FORCE ROW LEVEL SECURITY;


ALTER TABLE public.join_requests OWNER TO bookwork_owner;

--
-- Name: maintenance_runs; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.maintenance_runs (
    job text NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    rows_removed bigint DEFAULT 0 NOT NULL,
    ran_by text DEFAULT ''::text NOT NULL,
    CONSTRAINT maintenance_runs_job_check CHECK ((job = 'clean_up'::text))
);


ALTER TABLE public.maintenance_runs OWNER TO bookwork_owner;

--
-- Name: meeting_questions; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.meeting_questions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    event_id uuid NOT NULL,
    section_id uuid,
    author_id uuid,
    text text NOT NULL,
    "position" integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT meeting_questions_position CHECK (("position" >= 1)),
    CONSTRAINT meeting_questions_text CHECK (((btrim(text) <> ''::text) AND (char_length(text) <= 500)))
);

ALTER TABLE ONLY public.meeting_questions FORCE ROW LEVEL SECURITY;


ALTER TABLE public.meeting_questions OWNER TO bookwork_owner;

--
-- Name: notification_preferences; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.notification_preferences (
    user_id uuid NOT NULL,
    kind public.notification_kind NOT NULL,
    email boolean DEFAULT true NOT NULL,
    in_app boolean DEFAULT true NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.notification_preferences FORCE ROW LEVEL SECURITY;


ALTER TABLE public.notification_preferences OWNER TO bookwork_owner;

--
-- Name: notifications; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.notifications (
    id bigint NOT NULL,
    kind public.notification_kind NOT NULL,
    user_id uuid,
    address text,
    payload jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    in_app boolean NOT NULL,
    read_at timestamp with time zone,
    email_status text NOT NULL,
    email_due_at timestamp with time zone DEFAULT now() NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_error text,
    emailed_at timestamp with time zone,
    CONSTRAINT notifications_check CHECK (((user_id IS NULL) <> (address IS NULL))),
    CONSTRAINT notifications_check1 CHECK (((user_id IS NOT NULL) OR (NOT in_app))),
    CONSTRAINT notifications_email_status_check CHECK ((email_status = ANY (ARRAY['pending'::text, 'sent'::text, 'off'::text, 'skipped'::text, 'failed'::text])))
);

ALTER TABLE ONLY public.notifications FORCE ROW LEVEL SECURITY;


ALTER TABLE public.notifications OWNER TO bookwork_owner;

--
-- Name: notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.notifications ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: poll_options; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.poll_options (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    poll_id uuid NOT NULL,
    "position" integer NOT NULL,
    book_id uuid,
    starts_on date,
    starts_time time without time zone,
    nominated_by uuid,
    CONSTRAINT poll_options_book_or_date CHECK ((((book_id IS NOT NULL) AND (starts_on IS NULL) AND (starts_time IS NULL)) OR ((book_id IS NULL) AND (starts_on IS NOT NULL) AND (starts_time IS NOT NULL))))
);

ALTER TABLE ONLY public.poll_options FORCE ROW LEVEL SECURITY;


ALTER TABLE public.poll_options OWNER TO bookwork_owner;

--
-- Name: polls; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.polls (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    kind text DEFAULT 'book'::text NOT NULL,
    title character varying(255) NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    closes_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    results_live boolean DEFAULT false NOT NULL,
    closing_told_at timestamp with time zone,
    time_zone text,
    place character varying(255),
    book_id uuid,
    event_id uuid,
    nominating boolean DEFAULT false NOT NULL,
    nomination_cap smallint DEFAULT 2 NOT NULL,
    CONSTRAINT polls_date_zone CHECK (((kind = 'date'::text) = (time_zone IS NOT NULL))),
    CONSTRAINT polls_kind_check CHECK ((kind = ANY (ARRAY['book'::text, 'date'::text]))),
    CONSTRAINT polls_nominating_books CHECK (((NOT nominating) OR (kind = 'book'::text))),
    CONSTRAINT polls_nomination_cap_check CHECK (((nomination_cap >= 1) AND (nomination_cap <= 10))),
    CONSTRAINT polls_title_check CHECK ((btrim((title)::text) <> ''::text))
);

ALTER TABLE ONLY public.polls FORCE ROW LEVEL SECURITY;


ALTER TABLE public.polls OWNER TO bookwork_owner;

--
-- Name: reading_marks; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.reading_marks (
    section_id uuid NOT NULL,
    club_id uuid NOT NULL,
    user_id uuid NOT NULL,
    marked_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.reading_marks FORCE ROW LEVEL SECURITY;


ALTER TABLE public.reading_marks OWNER TO bookwork_owner;

--
-- Name: reading_places; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.reading_places (
    book_id uuid NOT NULL,
    club_id uuid NOT NULL,
    user_id uuid NOT NULL,
    page integer,
    percent smallint,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reading_places_one_kind CHECK (((page IS NULL) <> (percent IS NULL))),
    CONSTRAINT reading_places_page CHECK (((page >= 1) AND (page <= 99999))),
    CONSTRAINT reading_places_percent CHECK (((percent >= 0) AND (percent <= 100)))
);

ALTER TABLE ONLY public.reading_places FORCE ROW LEVEL SECURITY;


ALTER TABLE public.reading_places OWNER TO bookwork_owner;

--
-- Name: reading_privacy; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.reading_privacy (
    club_id uuid NOT NULL,
    user_id uuid NOT NULL,
    hidden_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY public.reading_privacy FORCE ROW LEVEL SECURITY;


ALTER TABLE public.reading_privacy OWNER TO bookwork_owner;

--
-- Name: reading_sections; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.reading_sections (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    club_id uuid NOT NULL,
    book_id uuid NOT NULL,
    title text NOT NULL,
    target_date date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    target_noticed date,
    CONSTRAINT reading_sections_title CHECK (((btrim(title) <> ''::text) AND (char_length(title) <= 120)))
);

ALTER TABLE ONLY public.reading_sections FORCE ROW LEVEL SECURITY;


ALTER TABLE public.reading_sections OWNER TO bookwork_owner;

--
-- Name: refresh_tokens; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.refresh_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    token_hash character varying(255) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    is_revoked boolean DEFAULT false NOT NULL,
    family_id uuid,
    used_at timestamp with time zone,
    CONSTRAINT check_expires_after_created CHECK ((expires_at > created_at))
);


ALTER TABLE public.refresh_tokens OWNER TO bookwork_owner;

--
-- Name: session_families; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.session_families (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_reason character varying(40),
    user_agent character varying(300),
    CONSTRAINT session_families_expiry_after_creation CHECK ((expires_at > created_at))
);


ALTER TABLE public.session_families OWNER TO bookwork_owner;

--
-- Name: users; Type: TABLE; Schema: public; Owner: bookwork_owner
--

CREATE TABLE public.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name character varying(255) NOT NULL,
    email character varying(255) NOT NULL,
    password_hash character varying(255) NOT NULL,
    phone character varying(20),
    avatar character varying(500),
    role character varying(20) DEFAULT 'member'::character varying NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    time_zone text,
    CONSTRAINT check_email_format CHECK (((email)::text ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'::text)),
    CONSTRAINT users_role_check CHECK (((role)::text = ANY ((ARRAY['admin'::character varying, 'moderator'::character varying, 'member'::character varying, 'guest'::character varying])::text[])))
);


ALTER TABLE public.users OWNER TO bookwork_owner;

--
-- Name: session; Type: TABLE; Schema: tower_sessions; Owner: bookwork_owner
--

CREATE TABLE tower_sessions.session (
    id text NOT NULL,
    data bytea NOT NULL,
    expiry_date timestamp with time zone NOT NULL
);


ALTER TABLE tower_sessions.session OWNER TO bookwork_owner;

--
-- Name: availability arrival; Type: DEFAULT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.availability ALTER COLUMN arrival SET DEFAULT nextval('public.availability_arrival_seq'::regclass);


--
-- Name: club_tally club_tally_pkey; Type: CONSTRAINT; Schema: bookwork_private; Owner: bookwork_owner
--

ALTER TABLE ONLY bookwork_private.club_tally
    ADD CONSTRAINT club_tally_pkey PRIMARY KEY (only_row);


--
-- Name: backups backups_pkey; Type: CONSTRAINT; Schema: monitoring; Owner: bookwork_owner
--

ALTER TABLE ONLY monitoring.backups
    ADD CONSTRAINT backups_pkey PRIMARY KEY (id);


--
-- Name: api_idempotency_keys api_idempotency_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.api_idempotency_keys
    ADD CONSTRAINT api_idempotency_keys_pkey PRIMARY KEY (holder, key);


--
-- Name: api_request_counts api_request_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.api_request_counts
    ADD CONSTRAINT api_request_counts_pkey PRIMARY KEY (holder, window_start);


--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);


--
-- Name: api_tokens api_tokens_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: auth_attempts auth_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.auth_attempts
    ADD CONSTRAINT auth_attempts_pkey PRIMARY KEY (id);


--
-- Name: availability availability_event_id_user_id_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.availability
    ADD CONSTRAINT availability_event_id_user_id_key UNIQUE (event_id, user_id);


--
-- Name: availability availability_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.availability
    ADD CONSTRAINT availability_pkey PRIMARY KEY (id);


--
-- Name: ballots ballots_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.ballots
    ADD CONSTRAINT ballots_pkey PRIMARY KEY (poll_id, user_id);


--
-- Name: books books_club_id_isbn13_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_club_id_isbn13_key UNIQUE (club_id, isbn13);


--
-- Name: books books_id_club; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_id_club UNIQUE (id, club_id);


--
-- Name: books books_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_pkey PRIMARY KEY (id);


--
-- Name: calendar_feeds calendar_feeds_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.calendar_feeds
    ADD CONSTRAINT calendar_feeds_pkey PRIMARY KEY (user_id);


--
-- Name: calendar_feeds calendar_feeds_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.calendar_feeds
    ADD CONSTRAINT calendar_feeds_token_hash_key UNIQUE (token_hash);


--
-- Name: club_invites club_invites_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.club_invites
    ADD CONSTRAINT club_invites_pkey PRIMARY KEY (id);


--
-- Name: club_invites club_invites_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.club_invites
    ADD CONSTRAINT club_invites_token_hash_key UNIQUE (token_hash);


--
-- Name: club_members club_members_club_id_user_id_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.club_members
    ADD CONSTRAINT club_members_club_id_user_id_key UNIQUE (club_id, user_id);


--
-- Name: club_members club_members_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.club_members
    ADD CONSTRAINT club_members_pkey PRIMARY KEY (id);


--
-- Name: clubs clubs_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.clubs
    ADD CONSTRAINT clubs_pkey PRIMARY KEY (id);


--
-- Name: comment_reports comment_reports_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comment_reports
    ADD CONSTRAINT comment_reports_pkey PRIMARY KEY (comment_id, reporter_id);


--
-- Name: comments comments_id_club; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_id_club UNIQUE (id, club_id);


--
-- Name: comments comments_id_event; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_id_event UNIQUE (id, event_id);


--
-- Name: comments comments_id_section; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_id_section UNIQUE (id, section_id);


--
-- Name: comments comments_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_pkey PRIMARY KEY (id);


--
-- Name: date_answers date_answers_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.date_answers
    ADD CONSTRAINT date_answers_pkey PRIMARY KEY (option_id, user_id);


--
-- Name: event_items event_items_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.event_items
    ADD CONSTRAINT event_items_pkey PRIMARY KEY (id);


--
-- Name: event_reminders event_reminders_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.event_reminders
    ADD CONSTRAINT event_reminders_pkey PRIMARY KEY (event_id, minutes_before);


--
-- Name: events events_id_club; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_id_club UNIQUE (id, club_id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


--
-- Name: host_volunteers host_volunteers_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.host_volunteers
    ADD CONSTRAINT host_volunteers_pkey PRIMARY KEY (club_id, user_id);


--
-- Name: join_requests join_requests_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.join_requests
    ADD CONSTRAINT join_requests_pkey PRIMARY KEY (id);


--
-- Name: maintenance_runs maintenance_runs_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.maintenance_runs
    ADD CONSTRAINT maintenance_runs_pkey PRIMARY KEY (job);


--
-- Name: meeting_questions meeting_questions_one_per_place; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.meeting_questions
    ADD CONSTRAINT meeting_questions_one_per_place UNIQUE (event_id, "position") DEFERRABLE INITIALLY DEFERRED;


--
-- Name: meeting_questions meeting_questions_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.meeting_questions
    ADD CONSTRAINT meeting_questions_pkey PRIMARY KEY (id);


--
-- Name: notification_preferences notification_preferences_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.notification_preferences
    ADD CONSTRAINT notification_preferences_pkey PRIMARY KEY (user_id, kind);


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: poll_options poll_options_of_poll; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.poll_options
    ADD CONSTRAINT poll_options_of_poll UNIQUE (poll_id, id);


--
-- Name: poll_options poll_options_one_date; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.poll_options
    ADD CONSTRAINT poll_options_one_date UNIQUE (poll_id, starts_on, starts_time);


--
-- Name: poll_options poll_options_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.poll_options
    ADD CONSTRAINT poll_options_pkey PRIMARY KEY (id);


--
-- Name: poll_options poll_options_poll_id_book_id_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.poll_options
    ADD CONSTRAINT poll_options_poll_id_book_id_key UNIQUE (poll_id, book_id);


--
-- Name: poll_options poll_options_poll_id_position_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.poll_options
    ADD CONSTRAINT poll_options_poll_id_position_key UNIQUE (poll_id, "position");


--
-- Name: polls polls_event_id_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.polls
    ADD CONSTRAINT polls_event_id_key UNIQUE (event_id);


--
-- Name: polls polls_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.polls
    ADD CONSTRAINT polls_pkey PRIMARY KEY (id);


--
-- Name: reading_marks reading_marks_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_marks
    ADD CONSTRAINT reading_marks_pkey PRIMARY KEY (section_id, user_id);


--
-- Name: reading_places reading_places_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_places
    ADD CONSTRAINT reading_places_pkey PRIMARY KEY (book_id, user_id);


--
-- Name: reading_privacy reading_privacy_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_privacy
    ADD CONSTRAINT reading_privacy_pkey PRIMARY KEY (club_id, user_id);


--
-- Name: reading_sections reading_sections_id_club; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_sections
    ADD CONSTRAINT reading_sections_id_club UNIQUE (id, club_id);


--
-- Name: reading_sections reading_sections_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_sections
    ADD CONSTRAINT reading_sections_pkey PRIMARY KEY (id);


--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id);


--
-- Name: refresh_tokens refresh_tokens_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: session_families session_families_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.session_families
    ADD CONSTRAINT session_families_pkey PRIMARY KEY (id);


--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: session session_pkey; Type: CONSTRAINT; Schema: tower_sessions; Owner: bookwork_owner
--

ALTER TABLE ONLY tower_sessions.session
    ADD CONSTRAINT session_pkey PRIMARY KEY (id);


--
-- Name: backups_finished; Type: INDEX; Schema: monitoring; Owner: bookwork_owner
--

CREATE INDEX backups_finished ON monitoring.backups USING btree (finished_at);


--
-- Name: api_idempotency_keys_created; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX api_idempotency_keys_created ON public.api_idempotency_keys USING btree (created_at);


--
-- Name: api_idempotency_keys_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX api_idempotency_keys_user ON public.api_idempotency_keys USING btree (user_id);


--
-- Name: api_request_counts_window; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX api_request_counts_window ON public.api_request_counts USING btree (window_start);


--
-- Name: api_tokens_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX api_tokens_user ON public.api_tokens USING btree (user_id, created_at);


--
-- Name: ballots_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX ballots_user ON public.ballots USING btree (user_id);


--
-- Name: books_club_shelf; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX books_club_shelf ON public.books USING btree (club_id, shelf, shelved_at);


--
-- Name: books_suggested_by; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX books_suggested_by ON public.books USING btree (suggested_by);


--
-- Name: club_invites_emailed_by; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX club_invites_emailed_by ON public.club_invites USING btree (created_by, created_at) WHERE emailed;


--
-- Name: clubs_name_order; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX clubs_name_order ON public.clubs USING btree (lower((name)::text), id);


--
-- Name: clubs_size_order; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX clubs_size_order ON public.clubs USING btree (member_total DESC, lower((name)::text), id);


--
-- Name: comment_reports_club; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comment_reports_club ON public.comment_reports USING btree (club_id) WHERE (resolved_at IS NULL);


--
-- Name: comment_reports_reporter; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comment_reports_reporter ON public.comment_reports USING btree (reporter_id);


--
-- Name: comments_author; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comments_author ON public.comments USING btree (author_id);


--
-- Name: comments_club; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comments_club ON public.comments USING btree (club_id);


--
-- Name: comments_event; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comments_event ON public.comments USING btree (event_id, created_at) WHERE (event_id IS NOT NULL);


--
-- Name: comments_hidden; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comments_hidden ON public.comments USING btree (club_id, hidden_at) WHERE (hidden_at IS NOT NULL);


--
-- Name: comments_hidden_by; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comments_hidden_by ON public.comments USING btree (hidden_by);


--
-- Name: comments_parent; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comments_parent ON public.comments USING btree (parent_id);


--
-- Name: comments_section; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX comments_section ON public.comments USING btree (section_id, created_at);


--
-- Name: date_answers_poll; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX date_answers_poll ON public.date_answers USING btree (poll_id, user_id);


--
-- Name: date_answers_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX date_answers_user ON public.date_answers USING btree (user_id);


--
-- Name: event_reminders_due; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX event_reminders_due ON public.event_reminders USING btree (due_at) WHERE (done_at IS NULL);


--
-- Name: events_book; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX events_book ON public.events USING btree (book_id) WHERE (book_id IS NOT NULL);


--
-- Name: events_host; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX events_host ON public.events USING btree (host_id, club_id) WHERE (host_id IS NOT NULL);


--
-- Name: host_volunteers_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX host_volunteers_user ON public.host_volunteers USING btree (user_id);


--
-- Name: idx_auth_attempts_key_time; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_auth_attempts_key_time ON public.auth_attempts USING btree (key, created_at);


--
-- Name: idx_availability_event_status; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_availability_event_status ON public.availability USING btree (event_id, status);


--
-- Name: idx_availability_user_id; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_availability_user_id ON public.availability USING btree (user_id);


--
-- Name: idx_availability_waitlist; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_availability_waitlist ON public.availability USING btree (event_id, arrival) WHERE waitlisted;


--
-- Name: idx_club_invites_club; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_club_invites_club ON public.club_invites USING btree (club_id);


--
-- Name: idx_club_members_active; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_club_members_active ON public.club_members USING btree (club_id, is_active) WHERE is_active;


--
-- Name: idx_club_members_role; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_club_members_role ON public.club_members USING btree (club_id, role);


--
-- Name: idx_club_members_user_active; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_club_members_user_active ON public.club_members USING btree (user_id, club_id) WHERE is_active;


--
-- Name: idx_club_members_user_id; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_club_members_user_id ON public.club_members USING btree (user_id);


--
-- Name: idx_clubs_name; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_clubs_name ON public.clubs USING btree (name);


--
-- Name: idx_clubs_owner; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_clubs_owner ON public.clubs USING btree (owner_id);


--
-- Name: idx_clubs_public; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_clubs_public ON public.clubs USING btree (is_public) WHERE is_public;


--
-- Name: idx_clubs_search; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_clubs_search ON public.clubs USING gin (search);


--
-- Name: idx_clubs_tags; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_clubs_tags ON public.clubs USING gin (tags);


--
-- Name: idx_event_items_assigned_open; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_event_items_assigned_open ON public.event_items USING btree (assigned_to) WHERE ((status)::text = ANY ((ARRAY['pending'::character varying, 'in_progress'::character varying])::text[]));


--
-- Name: idx_event_items_assigned_to; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_event_items_assigned_to ON public.event_items USING btree (assigned_to);


--
-- Name: idx_event_items_category; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_event_items_category ON public.event_items USING btree (category);


--
-- Name: idx_event_items_event_status; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_event_items_event_status ON public.event_items USING btree (event_id, status);


--
-- Name: idx_event_items_status; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_event_items_status ON public.event_items USING btree (status);


--
-- Name: idx_events_club_starts; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_events_club_starts ON public.events USING btree (club_id, starts_at);


--
-- Name: idx_events_created_by; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_events_created_by ON public.events USING btree (created_by);


--
-- Name: idx_events_public_starts; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_events_public_starts ON public.events USING btree (starts_at) WHERE is_public;


--
-- Name: idx_events_type; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_events_type ON public.events USING btree (type);


--
-- Name: idx_refresh_tokens_active; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_refresh_tokens_active ON public.refresh_tokens USING btree (user_id, expires_at) WHERE (NOT is_revoked);


--
-- Name: idx_refresh_tokens_expires_at; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_refresh_tokens_expires_at ON public.refresh_tokens USING btree (expires_at);


--
-- Name: idx_refresh_tokens_family; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_refresh_tokens_family ON public.refresh_tokens USING btree (family_id);


--
-- Name: idx_refresh_tokens_user_id; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_refresh_tokens_user_id ON public.refresh_tokens USING btree (user_id);


--
-- Name: idx_session_families_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_session_families_user ON public.session_families USING btree (user_id) WHERE (revoked_at IS NULL);


--
-- Name: idx_users_active; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_users_active ON public.users USING btree (is_active) WHERE is_active;


--
-- Name: idx_users_last_login; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_users_last_login ON public.users USING btree (last_login_at);


--
-- Name: idx_users_role; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX idx_users_role ON public.users USING btree (role);


--
-- Name: join_requests_club_waiting; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX join_requests_club_waiting ON public.join_requests USING btree (club_id, created_at) WHERE (status = 'pending'::text);


--
-- Name: join_requests_decided_by; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX join_requests_decided_by ON public.join_requests USING btree (decided_by);


--
-- Name: join_requests_one_waiting; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE UNIQUE INDEX join_requests_one_waiting ON public.join_requests USING btree (club_id, user_id) WHERE (status = 'pending'::text);


--
-- Name: join_requests_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX join_requests_user ON public.join_requests USING btree (user_id, club_id, created_at);


--
-- Name: meeting_questions_author; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX meeting_questions_author ON public.meeting_questions USING btree (author_id);


--
-- Name: meeting_questions_club; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX meeting_questions_club ON public.meeting_questions USING btree (club_id);


--
-- Name: meeting_questions_section; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX meeting_questions_section ON public.meeting_questions USING btree (section_id);


--
-- Name: notifications_reader; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX notifications_reader ON public.notifications USING btree (user_id, id DESC) WHERE in_app;


--
-- Name: notifications_to_send; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX notifications_to_send ON public.notifications USING btree (email_due_at, id) WHERE (email_status = 'pending'::text);


--
-- Name: notifications_unread; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX notifications_unread ON public.notifications USING btree (user_id) WHERE (in_app AND (read_at IS NULL));


--
-- Name: poll_options_book; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX poll_options_book ON public.poll_options USING btree (book_id);


--
-- Name: poll_options_nominated_by; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX poll_options_nominated_by ON public.poll_options USING btree (nominated_by) WHERE (nominated_by IS NOT NULL);


--
-- Name: polls_book; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX polls_book ON public.polls USING btree (book_id) WHERE (book_id IS NOT NULL);


--
-- Name: polls_closing_soon; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX polls_closing_soon ON public.polls USING btree (closes_at) WHERE ((closed_at IS NULL) AND (closing_told_at IS NULL));


--
-- Name: polls_club; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX polls_club ON public.polls USING btree (club_id, closes_at);


--
-- Name: polls_created_by; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX polls_created_by ON public.polls USING btree (created_by);


--
-- Name: reading_marks_club; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX reading_marks_club ON public.reading_marks USING btree (club_id);


--
-- Name: reading_marks_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX reading_marks_user ON public.reading_marks USING btree (user_id, club_id);


--
-- Name: reading_places_club; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX reading_places_club ON public.reading_places USING btree (club_id);


--
-- Name: reading_places_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX reading_places_user ON public.reading_places USING btree (user_id);


--
-- Name: reading_privacy_user; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX reading_privacy_user ON public.reading_privacy USING btree (user_id);


--
-- Name: reading_sections_book; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX reading_sections_book ON public.reading_sections USING btree (book_id, target_date, created_at);


--
-- Name: reading_sections_club; Type: INDEX; Schema: public; Owner: bookwork_owner
--

CREATE INDEX reading_sections_club ON public.reading_sections USING btree (club_id);


--
-- Name: idx_tower_sessions_expiry; Type: INDEX; Schema: tower_sessions; Owner: bookwork_owner
--

CREATE INDEX idx_tower_sessions_expiry ON tower_sessions.session USING btree (expiry_date);


--
-- Name: club_members club_members_hosting; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER club_members_hosting AFTER DELETE OR UPDATE OF is_active ON public.club_members FOR EACH ROW EXECUTE FUNCTION bookwork_private.hosting_follows_membership();


--
-- Name: clubs club_reminders_follow; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER club_reminders_follow AFTER UPDATE ON public.clubs FOR EACH ROW EXECUTE FUNCTION bookwork_private.club_reminders_follow();


--
-- Name: club_members count_members; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER count_members AFTER INSERT OR DELETE OR UPDATE OF is_active ON public.club_members FOR EACH ROW EXECUTE FUNCTION bookwork_private.count_members();


--
-- Name: events event_reminders_follow; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER event_reminders_follow AFTER INSERT OR UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION bookwork_private.event_reminders_follow();


--
-- Name: events event_reminders_go; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER event_reminders_go AFTER DELETE ON public.events FOR EACH ROW EXECUTE FUNCTION bookwork_private.event_reminders_go();


--
-- Name: events events_starts_at; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER events_starts_at BEFORE INSERT OR UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.events_derive_starts_at();


--
-- Name: club_members forget_viewer_clubs; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER forget_viewer_clubs AFTER INSERT OR DELETE OR UPDATE ON public.club_members FOR EACH STATEMENT EXECUTE FUNCTION bookwork_private.forget_viewer_clubs();


--
-- Name: users forget_viewer_clubs; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER forget_viewer_clubs AFTER UPDATE ON public.users FOR EACH STATEMENT EXECUTE FUNCTION bookwork_private.forget_viewer_clubs();


--
-- Name: clubs tally_clubs; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER tally_clubs AFTER INSERT OR DELETE OR UPDATE OF is_public ON public.clubs FOR EACH ROW EXECUTE FUNCTION bookwork_private.tally_clubs();


--
-- Name: clubs tally_clubs_truncate; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER tally_clubs_truncate AFTER TRUNCATE ON public.clubs FOR EACH STATEMENT EXECUTE FUNCTION bookwork_private.tally_clubs();


--
-- Name: availability update_availability_updated_at; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER update_availability_updated_at BEFORE UPDATE ON public.availability FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();


--
-- Name: clubs update_clubs_updated_at; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER update_clubs_updated_at BEFORE UPDATE ON public.clubs FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();


--
-- Name: event_items update_event_items_updated_at; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER update_event_items_updated_at BEFORE UPDATE ON public.event_items FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();


--
-- Name: events update_events_updated_at; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER update_events_updated_at BEFORE UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();


--
-- Name: users update_users_updated_at; Type: TRIGGER; Schema: public; Owner: bookwork_owner
--

CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();


--
-- Name: api_idempotency_keys api_idempotency_keys_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.api_idempotency_keys
    ADD CONSTRAINT api_idempotency_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: api_tokens api_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: availability availability_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.availability
    ADD CONSTRAINT availability_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.events(id) ON DELETE CASCADE;


--
-- Name: availability availability_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.availability
    ADD CONSTRAINT availability_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: ballots ballots_poll_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.ballots
    ADD CONSTRAINT ballots_poll_id_fkey FOREIGN KEY (poll_id) REFERENCES public.polls(id) ON DELETE CASCADE;


--
-- Name: ballots ballots_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.ballots
    ADD CONSTRAINT ballots_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: books books_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs(id) ON DELETE CASCADE;


--
-- Name: books books_suggested_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.books
    ADD CONSTRAINT books_suggested_by_fkey FOREIGN KEY (suggested_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: calendar_feeds calendar_feeds_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.calendar_feeds
    ADD CONSTRAINT calendar_feeds_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: club_invites club_invites_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.club_invites
    ADD CONSTRAINT club_invites_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs(id) ON DELETE CASCADE;


--
-- Name: club_invites club_invites_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.club_invites
    ADD CONSTRAINT club_invites_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: club_members club_members_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.club_members
    ADD CONSTRAINT club_members_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs(id) ON DELETE CASCADE;


--
-- Name: club_members club_members_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.club_members
    ADD CONSTRAINT club_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: clubs clubs_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.clubs
    ADD CONSTRAINT clubs_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: comment_reports comment_reports_comment_id_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comment_reports
    ADD CONSTRAINT comment_reports_comment_id_club_id_fkey FOREIGN KEY (comment_id, club_id) REFERENCES public.comments(id, club_id) ON DELETE CASCADE;


--
-- Name: comment_reports comment_reports_reporter_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comment_reports
    ADD CONSTRAINT comment_reports_reporter_id_fkey FOREIGN KEY (reporter_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: comments comments_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: comments comments_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_event_fkey FOREIGN KEY (event_id, club_id) REFERENCES public.events(id, club_id) ON DELETE CASCADE;


--
-- Name: comments comments_hidden_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_hidden_by_fkey FOREIGN KEY (hidden_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: comments comments_parent_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_parent_event_fkey FOREIGN KEY (parent_id, event_id) REFERENCES public.comments(id, event_id) ON DELETE CASCADE;


--
-- Name: comments comments_parent_id_section_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_parent_id_section_id_fkey FOREIGN KEY (parent_id, section_id) REFERENCES public.comments(id, section_id) ON DELETE CASCADE;


--
-- Name: comments comments_section_id_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.comments
    ADD CONSTRAINT comments_section_id_club_id_fkey FOREIGN KEY (section_id, club_id) REFERENCES public.reading_sections(id, club_id) ON DELETE CASCADE;


--
-- Name: date_answers date_answers_poll_id_option_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.date_answers
    ADD CONSTRAINT date_answers_poll_id_option_id_fkey FOREIGN KEY (poll_id, option_id) REFERENCES public.poll_options(poll_id, id) ON DELETE CASCADE;


--
-- Name: date_answers date_answers_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.date_answers
    ADD CONSTRAINT date_answers_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: event_items event_items_assigned_to_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.event_items
    ADD CONSTRAINT event_items_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: event_items event_items_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.event_items
    ADD CONSTRAINT event_items_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: event_items event_items_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.event_items
    ADD CONSTRAINT event_items_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.events(id) ON DELETE CASCADE;


--
-- Name: events events_book_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_book_id_fkey FOREIGN KEY (book_id) REFERENCES public.books(id) ON DELETE SET NULL;


--
-- Name: events events_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs(id) ON DELETE CASCADE;


--
-- Name: events events_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: events events_host_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_host_id_fkey FOREIGN KEY (host_id) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: host_volunteers host_volunteers_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.host_volunteers
    ADD CONSTRAINT host_volunteers_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs(id) ON DELETE CASCADE;


--
-- Name: host_volunteers host_volunteers_club_id_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.host_volunteers
    ADD CONSTRAINT host_volunteers_club_id_user_id_fkey FOREIGN KEY (club_id, user_id) REFERENCES public.club_members(club_id, user_id) ON DELETE CASCADE;


--
-- Name: host_volunteers host_volunteers_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.host_volunteers
    ADD CONSTRAINT host_volunteers_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: join_requests join_requests_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.join_requests
    ADD CONSTRAINT join_requests_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs(id) ON DELETE CASCADE;


--
-- Name: join_requests join_requests_decided_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.join_requests
    ADD CONSTRAINT join_requests_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: join_requests join_requests_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.join_requests
    ADD CONSTRAINT join_requests_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: meeting_questions meeting_questions_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.meeting_questions
    ADD CONSTRAINT meeting_questions_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: meeting_questions meeting_questions_event_id_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.meeting_questions
    ADD CONSTRAINT meeting_questions_event_id_club_id_fkey FOREIGN KEY (event_id, club_id) REFERENCES public.events(id, club_id) ON DELETE CASCADE;


--
-- Name: meeting_questions meeting_questions_section_id_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.meeting_questions
    ADD CONSTRAINT meeting_questions_section_id_club_id_fkey FOREIGN KEY (section_id, club_id) REFERENCES public.reading_sections(id, club_id);


--
-- Name: notification_preferences notification_preferences_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.notification_preferences
    ADD CONSTRAINT notification_preferences_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: notifications notifications_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: poll_options poll_options_book_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.poll_options
    ADD CONSTRAINT poll_options_book_id_fkey FOREIGN KEY (book_id) REFERENCES public.books(id) ON DELETE CASCADE;


--
-- Name: poll_options poll_options_nominated_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.poll_options
    ADD CONSTRAINT poll_options_nominated_by_fkey FOREIGN KEY (nominated_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: poll_options poll_options_poll_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.poll_options
    ADD CONSTRAINT poll_options_poll_id_fkey FOREIGN KEY (poll_id) REFERENCES public.polls(id) ON DELETE CASCADE;


--
-- Name: polls polls_book_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.polls
    ADD CONSTRAINT polls_book_id_fkey FOREIGN KEY (book_id) REFERENCES public.books(id) ON DELETE SET NULL;


--
-- Name: polls polls_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.polls
    ADD CONSTRAINT polls_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs(id) ON DELETE CASCADE;


--
-- Name: polls polls_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.polls
    ADD CONSTRAINT polls_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON DELETE SET NULL;


--
-- Name: polls polls_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.polls
    ADD CONSTRAINT polls_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.events(id) ON DELETE SET NULL;


--
-- Name: reading_marks reading_marks_section_id_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_marks
    ADD CONSTRAINT reading_marks_section_id_club_id_fkey FOREIGN KEY (section_id, club_id) REFERENCES public.reading_sections(id, club_id) ON DELETE CASCADE;


--
-- Name: reading_marks reading_marks_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_marks
    ADD CONSTRAINT reading_marks_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: reading_places reading_places_book_id_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_places
    ADD CONSTRAINT reading_places_book_id_club_id_fkey FOREIGN KEY (book_id, club_id) REFERENCES public.books(id, club_id) ON DELETE CASCADE;


--
-- Name: reading_places reading_places_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_places
    ADD CONSTRAINT reading_places_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: reading_privacy reading_privacy_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_privacy
    ADD CONSTRAINT reading_privacy_club_id_fkey FOREIGN KEY (club_id) REFERENCES public.clubs(id) ON DELETE CASCADE;


--
-- Name: reading_privacy reading_privacy_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_privacy
    ADD CONSTRAINT reading_privacy_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: reading_sections reading_sections_book_id_club_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.reading_sections
    ADD CONSTRAINT reading_sections_book_id_club_id_fkey FOREIGN KEY (book_id, club_id) REFERENCES public.books(id, club_id) ON DELETE CASCADE;


--
-- Name: refresh_tokens refresh_tokens_family_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_family_id_fkey FOREIGN KEY (family_id) REFERENCES public.session_families(id) ON DELETE CASCADE;


--
-- Name: refresh_tokens refresh_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: session_families session_families_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: bookwork_owner
--

ALTER TABLE ONLY public.session_families
    ADD CONSTRAINT session_families_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: api_idempotency_keys; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.api_idempotency_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: api_idempotency_keys api_idempotency_keys_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY api_idempotency_keys_own ON public.api_idempotency_keys USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer))) WITH CHECK ((user_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: api_tokens; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.api_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: api_tokens api_tokens_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY api_tokens_own ON public.api_tokens USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer))) WITH CHECK ((user_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: availability; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.availability ENABLE ROW LEVEL SECURITY;

--
-- Name: availability availability_answer; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY availability_answer ON public.availability FOR INSERT WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (EXISTS ( SELECT 1
   FROM public.events e
  WHERE ((e.id = availability.event_id) AND (e.club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])))))));


--
-- Name: availability availability_change; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY availability_change ON public.availability FOR UPDATE USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer))) WITH CHECK ((user_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: availability availability_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY availability_read ON public.availability FOR SELECT USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff) OR COALESCE(( SELECT (e.club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[]))
   FROM public.events e
  WHERE (e.id = availability.event_id)), false)));


--
-- Name: availability availability_remove; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY availability_remove ON public.availability FOR DELETE USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin) OR (EXISTS ( SELECT 1
   FROM public.events e
  WHERE ((e.id = availability.event_id) AND (e.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])))))));


--
-- Name: ballots; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.ballots ENABLE ROW LEVEL SECURITY;

--
-- Name: ballots ballots_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY ballots_own ON public.ballots USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer))) WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (EXISTS ( SELECT 1
   FROM public.polls p
  WHERE ((p.id = ballots.poll_id) AND (p.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('member'::text) AS viewer_club_ids)::uuid[])))))));


--
-- Name: books; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.books ENABLE ROW LEVEL SECURITY;

--
-- Name: books books_change; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY books_change ON public.books FOR UPDATE USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))) WITH CHECK (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: books books_own_suggestion_change; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY books_own_suggestion_change ON public.books FOR UPDATE USING (((suggested_by = ( SELECT bookwork_private.viewer() AS viewer)) AND (shelf = 'suggested'::text) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('member'::text) AS viewer_club_ids)::uuid[])) AND (NOT bookwork_private.book_in_open_poll(id)))) WITH CHECK (((suggested_by = ( SELECT bookwork_private.viewer() AS viewer)) AND (shelf = 'suggested'::text) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('member'::text) AS viewer_club_ids)::uuid[]))));


--
-- Name: books books_own_suggestion_remove; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY books_own_suggestion_remove ON public.books FOR DELETE USING (((suggested_by = ( SELECT bookwork_private.viewer() AS viewer)) AND (shelf = 'suggested'::text) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('member'::text) AS viewer_club_ids)::uuid[])) AND (NOT bookwork_private.book_in_open_poll(id))));


--
-- Name: books books_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY books_read ON public.books FOR SELECT USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff) OR COALESCE(( SELECT (c.is_public OR (c.owner_id = ( SELECT bookwork_private.viewer() AS viewer)))
   FROM public.clubs c
  WHERE (c.id = books.club_id)), false)));


--
-- Name: books books_remove; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY books_remove ON public.books FOR DELETE USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: books books_suggest; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY books_suggest ON public.books FOR INSERT WITH CHECK (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('member'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: club_invites; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.club_invites ENABLE ROW LEVEL SECURITY;

--
-- Name: club_invites club_invites_manage; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY club_invites_manage ON public.club_invites USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))) WITH CHECK (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: club_members; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.club_members ENABLE ROW LEVEL SECURITY;

--
-- Name: club_members club_members_change; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY club_members_change ON public.club_members FOR UPDATE USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))) WITH CHECK ((((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (((role)::text = ANY ((ARRAY['member'::character varying, 'guest'::character varying])::text[])) OR ((role)::text = bookwork_private.viewer_role_in(club_id)))) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: club_members club_members_delete; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY club_members_delete ON public.club_members FOR DELETE USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: club_members club_members_join; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY club_members_join ON public.club_members FOR INSERT WITH CHECK ((((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (EXISTS ( SELECT 1
   FROM public.clubs c
  WHERE ((c.id = club_members.club_id) AND ((c.owner_id = ( SELECT bookwork_private.viewer() AS viewer)) OR (c.is_public AND ((club_members.role)::text = ANY ((ARRAY['member'::character varying, 'guest'::character varying])::text[])))))))) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: club_members club_members_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY club_members_read ON public.club_members FOR SELECT USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: clubs; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.clubs ENABLE ROW LEVEL SECURITY;

--
-- Name: clubs clubs_change; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY clubs_change ON public.clubs FOR UPDATE USING (((id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR (owner_id = ( SELECT bookwork_private.viewer() AS viewer)) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: clubs clubs_create; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY clubs_create ON public.clubs FOR INSERT WITH CHECK ((owner_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: clubs clubs_delete; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY clubs_delete ON public.clubs FOR DELETE USING (((owner_id = ( SELECT bookwork_private.viewer() AS viewer)) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: clubs clubs_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY clubs_read ON public.clubs FOR SELECT USING ((is_public OR (id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR (owner_id = ( SELECT bookwork_private.viewer() AS viewer)) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: comment_reports; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.comment_reports ENABLE ROW LEVEL SECURITY;

--
-- Name: comment_reports comment_reports_file; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY comment_reports_file ON public.comment_reports FOR INSERT WITH CHECK (((reporter_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (resolved_at IS NULL) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[]))));


--
-- Name: comment_reports comment_reports_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY comment_reports_read ON public.comment_reports FOR SELECT USING (((reporter_id = ( SELECT bookwork_private.viewer() AS viewer)) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: comments; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.comments ENABLE ROW LEVEL SECURITY;

--
-- Name: comments comments_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY comments_own ON public.comments FOR UPDATE USING (((author_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (deleted_at IS NULL))) WITH CHECK ((author_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: comments comments_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY comments_read ON public.comments FOR SELECT USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: comments comments_write; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY comments_write ON public.comments FOR INSERT WITH CHECK (((author_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (deleted_at IS NULL) AND (edited_at IS NULL) AND (revision = 0) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[]))));


--
-- Name: date_answers; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.date_answers ENABLE ROW LEVEL SECURITY;

--
-- Name: date_answers date_answers_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY date_answers_own ON public.date_answers USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer))) WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (EXISTS ( SELECT 1
   FROM public.polls p
  WHERE ((p.id = date_answers.poll_id) AND (p.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('member'::text) AS viewer_club_ids)::uuid[])))))));


--
-- Name: date_answers date_answers_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY date_answers_read ON public.date_answers FOR SELECT USING (COALESCE(( SELECT ((p.club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff))
   FROM public.polls p
  WHERE (p.id = date_answers.poll_id)), false));


--
-- Name: event_items; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.event_items ENABLE ROW LEVEL SECURITY;

--
-- Name: event_items event_items_change; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY event_items_change ON public.event_items FOR UPDATE USING (((assigned_to = ( SELECT bookwork_private.viewer() AS viewer)) OR (EXISTS ( SELECT 1
   FROM public.events e
  WHERE ((e.id = event_items.event_id) AND ((e.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))))))) WITH CHECK (((assigned_to IS NULL) OR (assigned_to = ( SELECT bookwork_private.viewer() AS viewer)) OR (EXISTS ( SELECT 1
   FROM public.events e
  WHERE ((e.id = event_items.event_id) AND ((e.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)))))));


--
-- Name: event_items event_items_create; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY event_items_create ON public.event_items FOR INSERT WITH CHECK ((EXISTS ( SELECT 1
   FROM public.events e
  WHERE ((e.id = event_items.event_id) AND ((e.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))))));


--
-- Name: event_items event_items_delete; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY event_items_delete ON public.event_items FOR DELETE USING ((EXISTS ( SELECT 1
   FROM public.events e
  WHERE ((e.id = event_items.event_id) AND ((e.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff))))));


--
-- Name: event_items event_items_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY event_items_read ON public.event_items FOR SELECT USING (COALESCE(( SELECT ((e.club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff))
   FROM public.events e
  WHERE (e.id = event_items.event_id)), false));


--
-- Name: events; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.events ENABLE ROW LEVEL SECURITY;

--
-- Name: events events_change; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY events_change ON public.events FOR UPDATE USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: events events_create; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY events_create ON public.events FOR INSERT WITH CHECK (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: events events_delete; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY events_delete ON public.events FOR DELETE USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: events events_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY events_read ON public.events FOR SELECT USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff) OR (is_public AND COALESCE(( SELECT c.is_public
   FROM public.clubs c
  WHERE (c.id = events.club_id)), false))));


--
-- Name: host_volunteers; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.host_volunteers ENABLE ROW LEVEL SECURITY;

--
-- Name: host_volunteers host_volunteers_join; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY host_volunteers_join ON public.host_volunteers FOR INSERT WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('member'::text) AS viewer_club_ids)::uuid[]))));


--
-- Name: host_volunteers host_volunteers_leave; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY host_volunteers_leave ON public.host_volunteers FOR DELETE USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: host_volunteers host_volunteers_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY host_volunteers_read ON public.host_volunteers FOR SELECT USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: join_requests; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.join_requests ENABLE ROW LEVEL SECURITY;

--
-- Name: join_requests join_requests_answer; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY join_requests_answer ON public.join_requests FOR UPDATE USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))) WITH CHECK (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: join_requests join_requests_ask; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY join_requests_ask ON public.join_requests FOR INSERT WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (status = 'pending'::text) AND COALESCE(( SELECT (c.is_public AND c.join_by_request)
   FROM public.clubs c
  WHERE (c.id = join_requests.club_id)), false)));


--
-- Name: join_requests join_requests_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY join_requests_read ON public.join_requests FOR SELECT USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: join_requests join_requests_withdraw; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY join_requests_withdraw ON public.join_requests FOR UPDATE USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (status = 'pending'::text))) WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (status = 'withdrawn'::text)));


--
-- Name: meeting_questions; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.meeting_questions ENABLE ROW LEVEL SECURITY;

--
-- Name: meeting_questions meeting_questions_arrange; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY meeting_questions_arrange ON public.meeting_questions USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))) WITH CHECK (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: meeting_questions meeting_questions_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY meeting_questions_read ON public.meeting_questions FOR SELECT USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: meeting_questions meeting_questions_suggest; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY meeting_questions_suggest ON public.meeting_questions FOR INSERT WITH CHECK (((author_id = ( SELECT bookwork_private.viewer() AS viewer)) AND ("position" IS NULL) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[]))));


--
-- Name: meeting_questions meeting_questions_withdraw; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY meeting_questions_withdraw ON public.meeting_questions FOR DELETE USING (((author_id = ( SELECT bookwork_private.viewer() AS viewer)) AND ("position" IS NULL)));


--
-- Name: notification_preferences; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.notification_preferences ENABLE ROW LEVEL SECURITY;

--
-- Name: notifications; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;

--
-- Name: notifications notifications_invite; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY notifications_invite ON public.notifications FOR INSERT WITH CHECK ((((kind)::text = 'invitation'::text) AND (user_id IS NULL) AND (NOT in_app) AND ((((payload ->> 'club_id'::text))::uuid = ANY (( SELECT bookwork_private.viewer_club_ids('admin'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))));


--
-- Name: notifications notifications_mark; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY notifications_mark ON public.notifications FOR UPDATE USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer))) WITH CHECK ((user_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: notifications notifications_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY notifications_own ON public.notifications FOR SELECT USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: notifications notifications_reports; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY notifications_reports ON public.notifications FOR SELECT TO bookwork_readonly USING (true);


--
-- Name: api_idempotency_keys owner_api_idempotency_keys; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_api_idempotency_keys ON public.api_idempotency_keys TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: api_tokens owner_api_tokens; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_api_tokens ON public.api_tokens TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: availability owner_availability; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_availability ON public.availability TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: ballots owner_ballots; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_ballots ON public.ballots TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: books owner_books; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_books ON public.books TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: club_invites owner_club_invites; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_club_invites ON public.club_invites TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: club_members owner_club_members; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_club_members ON public.club_members TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: clubs owner_clubs; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_clubs ON public.clubs TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: comment_reports owner_comment_reports; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_comment_reports ON public.comment_reports TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: comments owner_comments; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_comments ON public.comments TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: date_answers owner_date_answers; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_date_answers ON public.date_answers TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: event_items owner_event_items; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_event_items ON public.event_items TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: events owner_events; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_events ON public.events TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: host_volunteers owner_host_volunteers; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_host_volunteers ON public.host_volunteers TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: join_requests owner_join_requests; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_join_requests ON public.join_requests TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: meeting_questions owner_meeting_questions; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_meeting_questions ON public.meeting_questions TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: notification_preferences owner_notification_preferences; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_notification_preferences ON public.notification_preferences TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: notifications owner_notifications; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_notifications ON public.notifications TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: poll_options owner_poll_options; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_poll_options ON public.poll_options TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: polls owner_polls; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_polls ON public.polls TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: reading_marks owner_reading_marks; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_reading_marks ON public.reading_marks TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: reading_places owner_reading_places; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_reading_places ON public.reading_places TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: reading_privacy owner_reading_privacy; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_reading_privacy ON public.reading_privacy TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: reading_sections owner_reading_sections; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY owner_reading_sections ON public.reading_sections TO bookwork_owner USING (true) WITH CHECK (true);


--
-- Name: poll_options; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.poll_options ENABLE ROW LEVEL SECURITY;

--
-- Name: poll_options poll_options_manage; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY poll_options_manage ON public.poll_options USING ((EXISTS ( SELECT 1
   FROM public.polls p
  WHERE ((p.id = poll_options.poll_id) AND ((p.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM public.polls p
  WHERE ((p.id = poll_options.poll_id) AND ((p.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))))));


--
-- Name: poll_options poll_options_nominate; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY poll_options_nominate ON public.poll_options FOR INSERT WITH CHECK (((nominated_by = ( SELECT bookwork_private.viewer() AS viewer)) AND (EXISTS ( SELECT 1
   FROM (public.polls p
     JOIN public.books b ON ((b.club_id = p.club_id)))
  WHERE ((p.id = poll_options.poll_id) AND (b.id = poll_options.book_id) AND p.nominating AND (p.club_id = ANY (( SELECT bookwork_private.viewer_club_ids('member'::text) AS viewer_club_ids)::uuid[])))))));


--
-- Name: poll_options poll_options_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY poll_options_read ON public.poll_options FOR SELECT USING (COALESCE(( SELECT true
   FROM public.polls p
  WHERE (p.id = poll_options.poll_id)), false));


--
-- Name: polls; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.polls ENABLE ROW LEVEL SECURITY;

--
-- Name: polls polls_manage; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY polls_manage ON public.polls USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))) WITH CHECK (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: polls polls_moderate; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY polls_moderate ON public.polls FOR DELETE USING (( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff));


--
-- Name: polls polls_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY polls_read ON public.polls FOR SELECT USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: polls polls_read_public; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY polls_read_public ON public.polls FOR SELECT USING (COALESCE(( SELECT c.is_public
   FROM public.clubs c
  WHERE (c.id = polls.club_id)), false));


--
-- Name: notification_preferences preferences_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY preferences_own ON public.notification_preferences USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer))) WITH CHECK ((user_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: notification_preferences preferences_reports; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY preferences_reports ON public.notification_preferences FOR SELECT TO bookwork_readonly USING (true);


--
-- Name: reading_marks; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.reading_marks ENABLE ROW LEVEL SECURITY;

--
-- Name: reading_marks reading_marks_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_marks_own ON public.reading_marks FOR INSERT WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[]))));


--
-- Name: reading_marks reading_marks_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_marks_read ON public.reading_marks FOR SELECT USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: reading_marks reading_marks_unmark; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_marks_unmark ON public.reading_marks FOR DELETE USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: reading_places; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.reading_places ENABLE ROW LEVEL SECURITY;

--
-- Name: reading_places reading_places_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_places_own ON public.reading_places USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer))) WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[]))));


--
-- Name: reading_places reading_places_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_places_read ON public.reading_places FOR SELECT USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: reading_privacy; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.reading_privacy ENABLE ROW LEVEL SECURITY;

--
-- Name: reading_privacy reading_privacy_own; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_privacy_own ON public.reading_privacy FOR INSERT WITH CHECK (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) AND (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[]))));


--
-- Name: reading_privacy reading_privacy_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_privacy_read ON public.reading_privacy FOR SELECT USING (((user_id = ( SELECT bookwork_private.viewer() AS viewer)) OR (club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff)));


--
-- Name: reading_privacy reading_privacy_unhide; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_privacy_unhide ON public.reading_privacy FOR DELETE USING ((user_id = ( SELECT bookwork_private.viewer() AS viewer)));


--
-- Name: reading_sections; Type: ROW SECURITY; Schema: public; Owner: bookwork_owner
--

ALTER TABLE public.reading_sections ENABLE ROW LEVEL SECURITY;

--
-- Name: reading_sections reading_sections_read; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_sections_read ON public.reading_sections FOR SELECT USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids() AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_staff() AS viewer_is_staff) OR COALESCE(( SELECT c.is_public
   FROM public.clubs c
  WHERE (c.id = reading_sections.club_id)), false)));


--
-- Name: reading_sections reading_sections_set; Type: POLICY; Schema: public; Owner: bookwork_owner
--

CREATE POLICY reading_sections_set ON public.reading_sections USING (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin))) WITH CHECK (((club_id = ANY (( SELECT bookwork_private.viewer_club_ids('moderator'::text) AS viewer_club_ids)::uuid[])) OR ( SELECT bookwork_private.viewer_is_site_admin() AS viewer_is_site_admin)));


--
-- Name: SCHEMA bookwork_private; Type: ACL; Schema: -; Owner: bookwork_owner
--

GRANT USAGE ON SCHEMA bookwork_private TO bookwork_app;
GRANT USAGE ON SCHEMA bookwork_private TO bookwork_readonly;


--
-- Name: SCHEMA monitoring; Type: ACL; Schema: -; Owner: bookwork_owner
--

GRANT USAGE ON SCHEMA monitoring TO bookwork_app;
GRANT USAGE ON SCHEMA monitoring TO bookwork_readonly;


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--

GRANT USAGE ON SCHEMA public TO bookwork_app;
GRANT USAGE ON SCHEMA public TO bookwork_readonly;


--
-- Name: SCHEMA tower_sessions; Type: ACL; Schema: -; Owner: bookwork_owner
--

GRANT USAGE ON SCHEMA tower_sessions TO bookwork_app;


--
-- Name: FUNCTION accept_invite(token_hash text, role text); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.accept_invite(token_hash text, role text) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.accept_invite(token_hash text, role text) TO bookwork_app;


--
-- Name: FUNCTION answer_counts(event uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.answer_counts(event uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.answer_counts(event uuid) TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.answer_counts(event uuid) TO bookwork_readonly;


--
-- Name: FUNCTION book_in_open_poll(book uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.book_in_open_poll(book uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.book_in_open_poll(book uuid) TO bookwork_app;


--
-- Name: FUNCTION check_api_token(token_hash text); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.check_api_token(token_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.check_api_token(token_hash text) TO bookwork_app;


--
-- Name: FUNCTION check_sign_in(person uuid, sign_in uuid, count_unread boolean); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.check_sign_in(person uuid, sign_in uuid, count_unread boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.check_sign_in(person uuid, sign_in uuid, count_unread boolean) TO bookwork_app;


--
-- Name: FUNCTION claim_notice(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.claim_notice() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.claim_notice() TO bookwork_app;


--
-- Name: FUNCTION club_polled_books(club uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.club_polled_books(club uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.club_polled_books(club uuid) TO bookwork_app;


--
-- Name: FUNCTION club_reminders_follow(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.club_reminders_follow() FROM PUBLIC;


--
-- Name: FUNCTION community_stats(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.community_stats() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.community_stats() TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.community_stats() TO bookwork_readonly;


--
-- Name: FUNCTION count_api_request(token_hash text, session uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.count_api_request(token_hash text, session uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.count_api_request(token_hash text, session uuid) TO bookwork_app;


--
-- Name: FUNCTION count_members(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.count_members() FROM PUBLIC;


--
-- Name: FUNCTION date_poll_counts(poll uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.date_poll_counts(poll uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.date_poll_counts(poll uuid) TO bookwork_app;


--
-- Name: FUNCTION discussion_payload(section uuid, event uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.discussion_payload(section uuid, event uuid) FROM PUBLIC;


--
-- Name: FUNCTION event_payload(event uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.event_payload(event uuid) FROM PUBLIC;


--
-- Name: FUNCTION event_reminders_follow(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.event_reminders_follow() FROM PUBLIC;


--
-- Name: FUNCTION event_reminders_go(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.event_reminders_go() FROM PUBLIC;


--
-- Name: FUNCTION finish_notice(notice bigint, outcome text, tries integer, error text, retry_in double precision); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.finish_notice(notice bigint, outcome text, tries integer, error text, retry_in double precision) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.finish_notice(notice bigint, outcome text, tries integer, error text, retry_in double precision) TO bookwork_app;


--
-- Name: FUNCTION forget_api_request_counts(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.forget_api_request_counts() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.forget_api_request_counts() TO bookwork_app;


--
-- Name: FUNCTION forget_idempotency_keys(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.forget_idempotency_keys() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.forget_idempotency_keys() TO bookwork_app;


--
-- Name: FUNCTION forget_me(former_name text); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.forget_me(former_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.forget_me(former_name text) TO bookwork_app;


--
-- Name: FUNCTION forget_viewer_clubs(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.forget_viewer_clubs() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.forget_viewer_clubs() TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.forget_viewer_clubs() TO bookwork_readonly;


--
-- Name: FUNCTION hosting_follows_membership(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.hosting_follows_membership() FROM PUBLIC;


--
-- Name: FUNCTION invite_for_token(token_hash text); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.invite_for_token(token_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.invite_for_token(token_hash text) TO bookwork_app;


--
-- Name: FUNCTION invite_preview(token_hash text); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.invite_preview(token_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.invite_preview(token_hash text) TO bookwork_app;


--
-- Name: FUNCTION item_event(item uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.item_event(item uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.item_event(item uuid) TO bookwork_app;


--
-- Name: FUNCTION lock_club(club uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.lock_club(club uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.lock_club(club uuid) TO bookwork_app;


--
-- Name: FUNCTION lock_event(event uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.lock_event(event uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.lock_event(event uuid) TO bookwork_app;


--
-- Name: FUNCTION lock_member(club uuid, member uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.lock_member(club uuid, member uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.lock_member(club uuid, member uuid) TO bookwork_app;


--
-- Name: FUNCTION lock_my_clubs(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.lock_my_clubs() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.lock_my_clubs() TO bookwork_app;


--
-- Name: FUNCTION lock_poll_for_nomination(poll uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.lock_poll_for_nomination(poll uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.lock_poll_for_nomination(poll uuid) TO bookwork_app;


--
-- Name: FUNCTION lock_poll_for_vote(poll uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.lock_poll_for_vote(poll uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.lock_poll_for_vote(poll uuid) TO bookwork_app;


--
-- Name: FUNCTION member_counts(clubs uuid[]); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.member_counts(clubs uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.member_counts(clubs uuid[]) TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.member_counts(clubs uuid[]) TO bookwork_readonly;


--
-- Name: FUNCTION moderate_comment(comment uuid, reason text); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.moderate_comment(comment uuid, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.moderate_comment(comment uuid, reason text) TO bookwork_app;


--
-- Name: FUNCTION my_writing(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.my_writing() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.my_writing() TO bookwork_app;


--
-- Name: FUNCTION notify(notice_kind text, recipients uuid[], notice jsonb); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.notify(notice_kind text, recipients uuid[], notice jsonb) FROM PUBLIC;


--
-- Name: FUNCTION notify_about_event(notice_kind text, event uuid, recipients uuid[], extra jsonb); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.notify_about_event(notice_kind text, event uuid, recipients uuid[], extra jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.notify_about_event(notice_kind text, event uuid, recipients uuid[], extra jsonb) TO bookwork_app;


--
-- Name: FUNCTION notify_club_event(notice_kind text, event uuid, actor uuid, extra jsonb); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.notify_club_event(notice_kind text, event uuid, actor uuid, extra jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.notify_club_event(notice_kind text, event uuid, actor uuid, extra jsonb) TO bookwork_app;


--
-- Name: FUNCTION notify_comment(comment uuid, mentioned uuid[]); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.notify_comment(comment uuid, mentioned uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.notify_comment(comment uuid, mentioned uuid[]) TO bookwork_app;


--
-- Name: FUNCTION notify_join_request(request uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.notify_join_request(request uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.notify_join_request(request uuid) TO bookwork_app;


--
-- Name: FUNCTION notify_poll_opened(poll uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.notify_poll_opened(poll uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.notify_poll_opened(poll uuid) TO bookwork_app;


--
-- Name: FUNCTION plan_reminders(event uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.plan_reminders(event uuid) FROM PUBLIC;


--
-- Name: FUNCTION poll_club(poll uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.poll_club(poll uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.poll_club(poll uuid) TO bookwork_app;


--
-- Name: FUNCTION poll_payload(poll uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.poll_payload(poll uuid) FROM PUBLIC;


--
-- Name: FUNCTION poll_rankings(poll uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.poll_rankings(poll uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.poll_rankings(poll uuid) TO bookwork_app;


--
-- Name: FUNCTION poll_voters_to_tell(poll uuid, actor uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.poll_voters_to_tell(poll uuid, actor uuid) FROM PUBLIC;


--
-- Name: FUNCTION promote_waitlist(event uuid, max_attendees integer); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.promote_waitlist(event uuid, max_attendees integer) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.promote_waitlist(event uuid, max_attendees integer) TO bookwork_app;


--
-- Name: FUNCTION refresh_event_instants(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.refresh_event_instants() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.refresh_event_instants() TO bookwork_app;


--
-- Name: FUNCTION section_payload(section uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.section_payload(section uuid) FROM PUBLIC;


--
-- Name: FUNCTION skip_poll_notices(poll uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.skip_poll_notices(poll uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.skip_poll_notices(poll uuid) TO bookwork_app;


--
-- Name: FUNCTION swap_hosts(a uuid, b uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.swap_hosts(a uuid, b uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.swap_hosts(a uuid, b uuid) TO bookwork_app;


--
-- Name: FUNCTION take_closing_polls(batch integer); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.take_closing_polls(batch integer) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.take_closing_polls(batch integer) TO bookwork_app;


--
-- Name: FUNCTION take_due_reminders(batch integer); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.take_due_reminders(batch integer) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.take_due_reminders(batch integer) TO bookwork_app;


--
-- Name: FUNCTION take_reading_targets(batch integer); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.take_reading_targets(batch integer) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.take_reading_targets(batch integer) TO bookwork_app;


--
-- Name: FUNCTION tally_clubs(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.tally_clubs() FROM PUBLIC;


--
-- Name: FUNCTION viewer(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.viewer() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.viewer() TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.viewer() TO bookwork_readonly;


--
-- Name: FUNCTION viewer_club_ids(least_role text); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.viewer_club_ids(least_role text) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.viewer_club_ids(least_role text) TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.viewer_club_ids(least_role text) TO bookwork_readonly;


--
-- Name: FUNCTION viewer_is_site_admin(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.viewer_is_site_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.viewer_is_site_admin() TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.viewer_is_site_admin() TO bookwork_readonly;


--
-- Name: FUNCTION viewer_is_staff(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.viewer_is_staff() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.viewer_is_staff() TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.viewer_is_staff() TO bookwork_readonly;


--
-- Name: FUNCTION viewer_role_in(club uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.viewer_role_in(club uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.viewer_role_in(club uuid) TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.viewer_role_in(club uuid) TO bookwork_readonly;


--
-- Name: FUNCTION viewer_site_role(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.viewer_site_role() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.viewer_site_role() TO bookwork_app;
GRANT ALL ON FUNCTION bookwork_private.viewer_site_role() TO bookwork_readonly;


--
-- Name: FUNCTION viewer_voted_polls(club uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.viewer_voted_polls(club uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.viewer_voted_polls(club uuid) TO bookwork_app;


--
-- Name: FUNCTION visible_club_total(); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.visible_club_total() FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.visible_club_total() TO bookwork_app;


--
-- Name: FUNCTION volunteer_for_item(item uuid); Type: ACL; Schema: bookwork_private; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION bookwork_private.volunteer_for_item(item uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION bookwork_private.volunteer_for_item(item uuid) TO bookwork_app;


--
-- Name: FUNCTION gauges_now(); Type: ACL; Schema: monitoring; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION monitoring.gauges_now() FROM PUBLIC;
GRANT ALL ON FUNCTION monitoring.gauges_now() TO bookwork_app;
GRANT ALL ON FUNCTION monitoring.gauges_now() TO bookwork_readonly;


--
-- Name: FUNCTION health_now(); Type: ACL; Schema: monitoring; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION monitoring.health_now() FROM PUBLIC;
GRANT ALL ON FUNCTION monitoring.health_now() TO bookwork_app;
GRANT ALL ON FUNCTION monitoring.health_now() TO bookwork_readonly;


--
-- Name: FUNCTION record_backup(kind text, label text); Type: ACL; Schema: monitoring; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION monitoring.record_backup(kind text, label text) FROM PUBLIC;


--
-- Name: FUNCTION slow_queries_now(max_rows integer); Type: ACL; Schema: monitoring; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION monitoring.slow_queries_now(max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION monitoring.slow_queries_now(max_rows integer) TO bookwork_app;
GRANT ALL ON FUNCTION monitoring.slow_queries_now(max_rows integer) TO bookwork_readonly;


--
-- Name: FUNCTION cleanup_expired_tokens(); Type: ACL; Schema: public; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION public.cleanup_expired_tokens() FROM PUBLIC;
GRANT ALL ON FUNCTION public.cleanup_expired_tokens() TO bookwork_app;


--
-- Name: FUNCTION events_derive_starts_at(); Type: ACL; Schema: public; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION public.events_derive_starts_at() FROM PUBLIC;
GRANT ALL ON FUNCTION public.events_derive_starts_at() TO bookwork_app;


--
-- Name: FUNCTION notice_time(at timestamp with time zone, zone text); Type: ACL; Schema: public; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION public.notice_time(at timestamp with time zone, zone text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.notice_time(at timestamp with time zone, zone text) TO bookwork_app;


--
-- Name: FUNCTION update_updated_at_column(); Type: ACL; Schema: public; Owner: bookwork_owner
--

REVOKE ALL ON FUNCTION public.update_updated_at_column() FROM PUBLIC;
GRANT ALL ON FUNCTION public.update_updated_at_column() TO bookwork_app;


--
-- Name: TABLE db_health_summary; Type: ACL; Schema: monitoring; Owner: bookwork_owner
--

GRANT SELECT ON TABLE monitoring.db_health_summary TO bookwork_app;
GRANT SELECT ON TABLE monitoring.db_health_summary TO bookwork_readonly;


--
-- Name: TABLE slow_queries; Type: ACL; Schema: monitoring; Owner: bookwork_owner
--

GRANT SELECT ON TABLE monitoring.slow_queries TO bookwork_app;
GRANT SELECT ON TABLE monitoring.slow_queries TO bookwork_readonly;


--
-- Name: TABLE table_sizes; Type: ACL; Schema: monitoring; Owner: bookwork_owner
--

GRANT SELECT ON TABLE monitoring.table_sizes TO bookwork_app;
GRANT SELECT ON TABLE monitoring.table_sizes TO bookwork_readonly;


--
-- Name: TABLE unused_indexes; Type: ACL; Schema: monitoring; Owner: bookwork_owner
--

GRANT SELECT ON TABLE monitoring.unused_indexes TO bookwork_app;
GRANT SELECT ON TABLE monitoring.unused_indexes TO bookwork_readonly;


--
-- Name: TABLE api_idempotency_keys; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.api_idempotency_keys TO bookwork_app;
GRANT SELECT ON TABLE public.api_idempotency_keys TO bookwork_readonly;


--
-- Name: TABLE api_tokens; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.api_tokens TO bookwork_app;
GRANT SELECT ON TABLE public.api_tokens TO bookwork_readonly;


--
-- Name: TABLE auth_attempts; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.auth_attempts TO bookwork_app;


--
-- Name: SEQUENCE auth_attempts_id_seq; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,USAGE ON SEQUENCE public.auth_attempts_id_seq TO bookwork_app;


--
-- Name: TABLE availability; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.availability TO bookwork_app;
GRANT SELECT ON TABLE public.availability TO bookwork_readonly;


--
-- Name: SEQUENCE availability_arrival_seq; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,USAGE ON SEQUENCE public.availability_arrival_seq TO bookwork_app;


--
-- Name: TABLE ballots; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.ballots TO bookwork_app;


--
-- Name: COLUMN ballots.poll_id; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(poll_id) ON TABLE public.ballots TO bookwork_readonly;


--
-- Name: COLUMN ballots.cast_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(cast_at) ON TABLE public.ballots TO bookwork_readonly;


--
-- Name: TABLE books; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.books TO bookwork_app;
GRANT SELECT ON TABLE public.books TO bookwork_readonly;


--
-- Name: TABLE calendar_feeds; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.calendar_feeds TO bookwork_app;


--
-- Name: TABLE club_invites; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.club_invites TO bookwork_app;


--
-- Name: COLUMN club_invites.id; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(id) ON TABLE public.club_invites TO bookwork_readonly;


--
-- Name: COLUMN club_invites.club_id; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(club_id) ON TABLE public.club_invites TO bookwork_readonly;


--
-- Name: COLUMN club_invites.created_by; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(created_by) ON TABLE public.club_invites TO bookwork_readonly;


--
-- Name: COLUMN club_invites.created_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(created_at) ON TABLE public.club_invites TO bookwork_readonly;


--
-- Name: COLUMN club_invites.expires_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(expires_at) ON TABLE public.club_invites TO bookwork_readonly;


--
-- Name: COLUMN club_invites.max_uses; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(max_uses) ON TABLE public.club_invites TO bookwork_readonly;


--
-- Name: COLUMN club_invites.uses; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(uses) ON TABLE public.club_invites TO bookwork_readonly;


--
-- Name: COLUMN club_invites.revoked_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(revoked_at) ON TABLE public.club_invites TO bookwork_readonly;


--
-- Name: TABLE club_members; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.club_members TO bookwork_app;
GRANT SELECT ON TABLE public.club_members TO bookwork_readonly;


--
-- Name: TABLE clubs; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.clubs TO bookwork_app;
GRANT SELECT ON TABLE public.clubs TO bookwork_readonly;


--
-- Name: TABLE comment_reports; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.comment_reports TO bookwork_app;
GRANT SELECT ON TABLE public.comment_reports TO bookwork_readonly;


--
-- Name: TABLE comments; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE public.comments TO bookwork_app;
GRANT SELECT ON TABLE public.comments TO bookwork_readonly;


--
-- Name: COLUMN comments.body; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT UPDATE(body) ON TABLE public.comments TO bookwork_app;


--
-- Name: COLUMN comments.edited_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT UPDATE(edited_at) ON TABLE public.comments TO bookwork_app;


--
-- Name: COLUMN comments.deleted_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT UPDATE(deleted_at) ON TABLE public.comments TO bookwork_app;


--
-- Name: COLUMN comments.revision; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT UPDATE(revision) ON TABLE public.comments TO bookwork_app;


--
-- Name: TABLE date_answers; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.date_answers TO bookwork_app;


--
-- Name: COLUMN date_answers.option_id; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(option_id) ON TABLE public.date_answers TO bookwork_readonly;


--
-- Name: COLUMN date_answers.poll_id; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(poll_id) ON TABLE public.date_answers TO bookwork_readonly;


--
-- Name: COLUMN date_answers.answer; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(answer) ON TABLE public.date_answers TO bookwork_readonly;


--
-- Name: COLUMN date_answers.answered_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(answered_at) ON TABLE public.date_answers TO bookwork_readonly;


--
-- Name: TABLE event_items; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.event_items TO bookwork_app;
GRANT SELECT ON TABLE public.event_items TO bookwork_readonly;


--
-- Name: TABLE event_reminders; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.event_reminders TO bookwork_app;
GRANT SELECT ON TABLE public.event_reminders TO bookwork_readonly;


--
-- Name: TABLE events; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.events TO bookwork_app;
GRANT SELECT ON TABLE public.events TO bookwork_readonly;


--
-- Name: TABLE host_volunteers; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.host_volunteers TO bookwork_app;
GRANT SELECT ON TABLE public.host_volunteers TO bookwork_readonly;


--
-- Name: TABLE join_requests; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.join_requests TO bookwork_app;
GRANT SELECT ON TABLE public.join_requests TO bookwork_readonly;


--
-- Name: TABLE maintenance_runs; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,UPDATE ON TABLE public.maintenance_runs TO bookwork_app;
GRANT SELECT ON TABLE public.maintenance_runs TO bookwork_readonly;


--
-- Name: TABLE meeting_questions; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.meeting_questions TO bookwork_app;
GRANT SELECT ON TABLE public.meeting_questions TO bookwork_readonly;


--
-- Name: TABLE notification_preferences; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notification_preferences TO bookwork_app;
GRANT SELECT ON TABLE public.notification_preferences TO bookwork_readonly;


--
-- Name: TABLE notifications; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notifications TO bookwork_app;


--
-- Name: COLUMN notifications.id; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(id) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.kind; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(kind) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.user_id; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(user_id) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.created_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(created_at) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.in_app; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(in_app) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.read_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(read_at) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.email_status; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(email_status) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.email_due_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(email_due_at) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.attempts; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(attempts) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: COLUMN notifications.emailed_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(emailed_at) ON TABLE public.notifications TO bookwork_readonly;


--
-- Name: SEQUENCE notifications_id_seq; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,USAGE ON SEQUENCE public.notifications_id_seq TO bookwork_app;


--
-- Name: TABLE poll_options; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.poll_options TO bookwork_app;
GRANT SELECT ON TABLE public.poll_options TO bookwork_readonly;


--
-- Name: TABLE polls; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.polls TO bookwork_app;
GRANT SELECT ON TABLE public.polls TO bookwork_readonly;


--
-- Name: TABLE reading_marks; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.reading_marks TO bookwork_app;
GRANT SELECT ON TABLE public.reading_marks TO bookwork_readonly;


--
-- Name: TABLE reading_places; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.reading_places TO bookwork_app;
GRANT SELECT ON TABLE public.reading_places TO bookwork_readonly;


--
-- Name: TABLE reading_privacy; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.reading_privacy TO bookwork_app;
GRANT SELECT ON TABLE public.reading_privacy TO bookwork_readonly;


--
-- Name: TABLE reading_sections; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.reading_sections TO bookwork_app;
GRANT SELECT ON TABLE public.reading_sections TO bookwork_readonly;


--
-- Name: TABLE refresh_tokens; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.refresh_tokens TO bookwork_app;


--
-- Name: TABLE session_families; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.session_families TO bookwork_app;


--
-- Name: TABLE users; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.users TO bookwork_app;


--
-- Name: COLUMN users.id; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(id) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.name; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(name) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.email; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(email) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.phone; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(phone) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.avatar; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(avatar) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.role; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(role) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.is_active; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(is_active) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.last_login_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(last_login_at) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.created_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(created_at) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.updated_at; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(updated_at) ON TABLE public.users TO bookwork_readonly;


--
-- Name: COLUMN users.time_zone; Type: ACL; Schema: public; Owner: bookwork_owner
--

GRANT SELECT(time_zone) ON TABLE public.users TO bookwork_readonly;


--
-- Name: TABLE session; Type: ACL; Schema: tower_sessions; Owner: bookwork_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE tower_sessions.session TO bookwork_app;


--
-- Name: DEFAULT PRIVILEGES FOR SEQUENCES; Type: DEFAULT ACL; Schema: public; Owner: bookwork_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner IN SCHEMA public GRANT SELECT,USAGE ON SEQUENCES  TO bookwork_app;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: public; Owner: bookwork_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner IN SCHEMA public GRANT ALL ON FUNCTIONS  TO bookwork_app;


--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: public; Owner: bookwork_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner IN SCHEMA public GRANT SELECT,INSERT,DELETE,UPDATE ON TABLES  TO bookwork_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner IN SCHEMA public GRANT SELECT ON TABLES  TO bookwork_readonly;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: bookwork_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--


