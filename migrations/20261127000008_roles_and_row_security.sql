-- Least privilege and row-level security (the reference guide's intent, fixed).
--
-- Three roles, made once per server by `bookwork db roles` (or by the embedded
-- database): bookwork_owner owns every object and runs migrations;
-- bookwork_app is the server's login, with data rights only; bookwork_readonly
-- reads for reports. Row-level security is enabled and forced on every table
-- that holds club data, beneath the application's own authorization checks.

-- The roles exist, this runs as (a member of) the owner, and everything
-- made so far belongs to the owner: `bookwork db roles` (or the embedded
-- database) sees to all three.
DO $$
BEGIN
    IF (SELECT count(*) FROM pg_roles
         WHERE rolname IN ('bookwork_owner', 'bookwork_app', 'bookwork_readonly')) < 3 THEN
        RAISE EXCEPTION 'Bookwork''s database roles do not exist on this server'
            USING HINT = 'Run `bookwork db roles` and have an administrator run the SQL it prints (once per server), then start Bookwork again.';
    END IF;
    IF NOT pg_has_role(current_user, 'bookwork_owner', 'MEMBER') THEN
        RAISE EXCEPTION 'migrations must run as bookwork_owner, not %', current_user
            USING HINT = 'Set MIGRATION_DATABASE_URL to the bookwork_owner login (see `bookwork db roles`).';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('public', 'tower_sessions') AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                  AND pg_get_userbyid(c.relowner) <> 'bookwork_owner') THEN
        RAISE EXCEPTION 'some of Bookwork''s tables belong to another role than bookwork_owner'
            USING HINT = 'Run the SQL `bookwork db roles` prints as an administrator (it hands them over), then start Bookwork again.';
    END IF;
END
$$;

-- From here on, what this migration makes is the owner's.
SET LOCAL ROLE bookwork_owner;

-- What each role may do. Default privileges cover tables later migrations
-- add (they make them as bookwork_owner), so no grant can be forgotten.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA tower_sessions FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO bookwork_app, bookwork_readonly;
GRANT USAGE ON SCHEMA tower_sessions TO bookwork_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bookwork_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tower_sessions TO bookwork_app;
REVOKE ALL ON public._sqlx_migrations FROM bookwork_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO bookwork_app;
-- The schema's own functions are the app's alone. An extension's functions
-- (pgcrypto's) belong to whoever installed it, and are left as they are.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND p.proowner = 'bookwork_owner'::regrole
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_proc'::regclass
                              AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bookwork_app', f);
    END LOOP;
END
$$;

-- Reports see data, not secrets: no tokens, hashes or sign-in records.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO bookwork_readonly;
REVOKE SELECT ON refresh_tokens, session_families, auth_attempts, calendar_feeds, club_invites, users
    FROM bookwork_readonly;
GRANT SELECT (id, name, email, phone, avatar, role, is_active, last_login_at, created_at, updated_at, time_zone)
    ON users TO bookwork_readonly;
GRANT SELECT (id, club_id, created_by, created_at, expires_at, max_uses, uses, revoked_at)
    ON club_invites TO bookwork_readonly;

ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bookwork_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO bookwork_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner
    REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO bookwork_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bookwork_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO bookwork_readonly;

-- Who is asking: set per transaction by the server, with
-- `set_config('app.user_id', ..., true)` so it never outlives the
-- transaction (and works through a transaction-mode pooler). Unset or empty
-- means an anonymous visitor: every policy fails closed.
--
-- The helpers live in a schema of their own (nobody can shadow them on a
-- search path) and run as their owner with an empty search path. Policies
-- call them inside `(SELECT ...)`, so each runs once per statement. They
-- are PL/pgSQL because a SQL function with settings of its own is planned
-- afresh on every call, while PL/pgSQL keeps its plans for the connection's
-- life (this made the event page twice as fast).
CREATE SCHEMA bookwork_private;
REVOKE ALL ON SCHEMA bookwork_private FROM PUBLIC;
GRANT USAGE ON SCHEMA bookwork_private TO bookwork_app, bookwork_readonly;

-- Plain SQL with no settings of its own, so the planner inlines it where it
-- is used; it names nothing a search path could shadow.
CREATE FUNCTION bookwork_private.viewer() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT NULLIF(pg_catalog.current_setting('app.user_id', true), '')::pg_catalog.uuid
$$;

-- Site admins and moderators see every club (they run the site).
CREATE FUNCTION bookwork_private.viewer_is_staff() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.users
                    WHERE id = bookwork_private.viewer() AND is_active AND role IN ('admin', 'moderator'));
END
$$;

CREATE FUNCTION bookwork_private.viewer_is_site_admin() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.users
                    WHERE id = bookwork_private.viewer() AND is_active AND role = 'admin');
END
$$;

-- The clubs the viewer belongs to, with at least `least_role` (guest <
-- member < moderator < admin; the owner is an admin member). This is "may
-- see this club's private rows", written once; a SECURITY DEFINER function,
-- so a policy on club_members that asks it does not recurse.
--
-- Every statement asks it (once), so a transaction works it out once: the
-- answer is kept in a transaction-local setting tagged with the viewer, and
-- any change to memberships or accounts in the transaction clears it (the
-- triggers below). The app's login could write that setting itself, but it
-- can write app.user_id too: neither is a boundary against the app's own
-- login, only against a query that forgets whom it is for.
CREATE FUNCTION bookwork_private.viewer_club_ids(least_role text DEFAULT 'guest') RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
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

CREATE FUNCTION bookwork_private.forget_viewer_clubs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    PERFORM pg_catalog.set_config('bookwork.clubs_' || r, '', true)
       FROM pg_catalog.unnest(ARRAY['guest', 'member', 'moderator', 'admin']) AS r;
    RETURN NULL;
END
$$;
CREATE TRIGGER forget_viewer_clubs AFTER INSERT OR UPDATE OR DELETE ON club_members
    FOR EACH STATEMENT EXECUTE FUNCTION bookwork_private.forget_viewer_clubs();
CREATE TRIGGER forget_viewer_clubs AFTER UPDATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION bookwork_private.forget_viewer_clubs();

-- The viewer's current role in a club (NULL when not an active member).
CREATE FUNCTION bookwork_private.viewer_role_in(club uuid) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN (SELECT m.role::text FROM public.club_members m
     WHERE m.club_id = club AND m.user_id = bookwork_private.viewer() AND m.is_active);
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bookwork_private TO bookwork_app, bookwork_readonly;

-- Clubs: public ones for everyone; private ones for their members, their
-- owner and site staff. Club admins (and site admins) change them; only the
-- owner (or a site admin) deletes one; anyone creates one they own.
ALTER TABLE clubs ENABLE ROW LEVEL SECURITY;
ALTER TABLE clubs FORCE ROW LEVEL SECURITY;
CREATE POLICY clubs_read ON clubs FOR SELECT USING (
    is_public
    OR id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR owner_id = (SELECT bookwork_private.viewer())
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY clubs_create ON clubs FOR INSERT WITH CHECK (
    owner_id = (SELECT bookwork_private.viewer()));
CREATE POLICY clubs_change ON clubs FOR UPDATE USING (
    id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
    OR owner_id = (SELECT bookwork_private.viewer())
    OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY clubs_delete ON clubs FOR DELETE USING (
    owner_id = (SELECT bookwork_private.viewer())
    OR (SELECT bookwork_private.viewer_is_site_admin()));

-- Memberships: your own; everyone's in your clubs; all for site staff.
-- You join (insert yourself, as a member or guest) a public club, or the
-- club you own; club admins change anyone's; you change your own (your
-- books-read count, leaving), but never to a role above the one you have.
ALTER TABLE club_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE club_members FORCE ROW LEVEL SECURITY;
CREATE POLICY club_members_read ON club_members FOR SELECT USING (
    user_id = (SELECT bookwork_private.viewer())
    OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY club_members_join ON club_members FOR INSERT WITH CHECK (
    (user_id = (SELECT bookwork_private.viewer())
     AND EXISTS (SELECT 1 FROM public.clubs c
                  WHERE c.id = club_id
                    AND (c.owner_id = (SELECT bookwork_private.viewer())
                         OR (c.is_public AND role IN ('member', 'guest')))))
    OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY club_members_change ON club_members FOR UPDATE
    USING (
        user_id = (SELECT bookwork_private.viewer())
        OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
        OR (SELECT bookwork_private.viewer_is_site_admin()))
    WITH CHECK (
        (user_id = (SELECT bookwork_private.viewer())
         AND (role IN ('member', 'guest') OR role = bookwork_private.viewer_role_in(club_id)))
        OR club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
        OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY club_members_delete ON club_members FOR DELETE USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_site_admin()));

-- Events: public events of public clubs for everyone; every event of your
-- clubs; all for site staff. Club moderators and up (and site admins) make
-- and change them; site moderators may also take them down.
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY events_read ON events FOR SELECT USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff())
    OR (is_public AND EXISTS (SELECT 1 FROM public.clubs c WHERE c.id = club_id AND c.is_public)));
CREATE POLICY events_create ON events FOR INSERT WITH CHECK (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY events_change ON events FOR UPDATE USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY events_delete ON events FOR DELETE USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));

-- Items of your clubs' events; changed by club moderators and up (and site
-- admins), and by the person an item is assigned to (its status, or giving
-- it back).
ALTER TABLE event_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_items FORCE ROW LEVEL SECURITY;
CREATE POLICY event_items_read ON event_items FOR SELECT USING (
    EXISTS (SELECT 1 FROM public.events e
             WHERE e.id = event_id
               AND (e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
                    OR (SELECT bookwork_private.viewer_is_staff()))));
CREATE POLICY event_items_create ON event_items FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM public.events e
             WHERE e.id = event_id
               AND (e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                    OR (SELECT bookwork_private.viewer_is_site_admin()))));
CREATE POLICY event_items_change ON event_items FOR UPDATE
    USING (
        assigned_to = (SELECT bookwork_private.viewer())
        OR EXISTS (SELECT 1 FROM public.events e
                    WHERE e.id = event_id
                      AND (e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                           OR (SELECT bookwork_private.viewer_is_site_admin()))))
    WITH CHECK (
        assigned_to IS NULL
        OR assigned_to = (SELECT bookwork_private.viewer())
        OR EXISTS (SELECT 1 FROM public.events e
                    WHERE e.id = event_id
                      AND (e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                           OR (SELECT bookwork_private.viewer_is_site_admin()))));
CREATE POLICY event_items_delete ON event_items FOR DELETE USING (
    EXISTS (SELECT 1 FROM public.events e
             WHERE e.id = event_id
               AND (e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                    OR (SELECT bookwork_private.viewer_is_staff()))));

-- Answers: your own; everyone's at your clubs' events; all for site staff.
-- You write only your own (at an event of a club you belong to); club
-- moderators and up (and site admins) may remove anyone's, as when someone
-- leaves. Waitlist promotion moves other people's rows: it runs as the
-- owner, in bookwork_private.promote_waitlist.
ALTER TABLE availability ENABLE ROW LEVEL SECURITY;
ALTER TABLE availability FORCE ROW LEVEL SECURITY;
CREATE POLICY availability_read ON availability FOR SELECT USING (
    user_id = (SELECT bookwork_private.viewer())
    OR (SELECT bookwork_private.viewer_is_staff())
    OR EXISTS (SELECT 1 FROM public.events e
                WHERE e.id = event_id AND e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])));
CREATE POLICY availability_answer ON availability FOR INSERT WITH CHECK (
    user_id = (SELECT bookwork_private.viewer())
    AND EXISTS (SELECT 1 FROM public.events e
                 WHERE e.id = event_id AND e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])));
CREATE POLICY availability_change ON availability FOR UPDATE
    USING (user_id = (SELECT bookwork_private.viewer()))
    WITH CHECK (user_id = (SELECT bookwork_private.viewer()));
CREATE POLICY availability_remove ON availability FOR DELETE USING (
    user_id = (SELECT bookwork_private.viewer())
    OR (SELECT bookwork_private.viewer_is_site_admin())
    OR EXISTS (SELECT 1 FROM public.events e
                WHERE e.id = event_id
                  AND e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])));

-- Invitation links: the club's admins (and site admins) only. Someone
-- opening a link is not in the club yet: bookwork_private.invite_* act for
-- them, knowing only the token.
ALTER TABLE club_invites ENABLE ROW LEVEL SECURITY;
ALTER TABLE club_invites FORCE ROW LEVEL SECURITY;
CREATE POLICY club_invites_manage ON club_invites FOR ALL
    USING (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
           OR (SELECT bookwork_private.viewer_is_site_admin()))
    WITH CHECK (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('admin'))::uuid[])
                OR (SELECT bookwork_private.viewer_is_site_admin()));

-- The owner (migrations, demo data, the functions below) sees and changes
-- everything; forcing row security on it only matters without this.
CREATE POLICY owner_clubs ON clubs TO bookwork_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_club_members ON club_members TO bookwork_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_events ON events TO bookwork_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_event_items ON event_items TO bookwork_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_availability ON availability TO bookwork_owner USING (true) WITH CHECK (true);
CREATE POLICY owner_club_invites ON club_invites TO bookwork_owner USING (true) WITH CHECK (true);

-- What policies ask often, indexed.
CREATE INDEX idx_club_members_user_active ON club_members (user_id, club_id) WHERE is_active;
CREATE INDEX idx_event_items_assigned_open ON event_items (assigned_to) WHERE status IN ('pending', 'in_progress');

-- Work that needs to see or change rows the asking person may not, done as
-- the owner and only for the one row asked about.

-- Locks an event for a change to its answers (answers are taken one at a
-- time); the limit, or no row when the viewer may not see the event.
CREATE FUNCTION bookwork_private.lock_event(event uuid) RETURNS TABLE (max_attendees integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    SELECT e.max_attendees FROM public.events e
     WHERE e.id = event
       AND (e.club_id = ANY (bookwork_private.viewer_club_ids()) OR bookwork_private.viewer_is_staff())
       FOR UPDATE;
END
$$;

-- Locks a club for a join: its limit and how many belong now. The count is
-- a statement of its own, taken after the lock is held, so it sees joins
-- that committed while this one waited.
CREATE FUNCTION bookwork_private.lock_club(club uuid)
RETURNS TABLE (max_members integer, members bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
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

-- Holds a member's membership (and account) still while something is
-- assigned to them: a removal or deactivation waits, then unassigns. True
-- when they are an active member of `club`, which the viewer belongs to.
CREATE FUNCTION bookwork_private.lock_member(club uuid, member uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM public.club_members m JOIN public.users u ON u.id = m.user_id
         WHERE m.club_id = club AND m.user_id = member AND m.is_active AND u.is_active
           AND (club = ANY (bookwork_private.viewer_club_ids()) OR bookwork_private.viewer_is_staff())
           FOR SHARE OF m, u);
END
$$;

-- The event an item belongs to, and who it is assigned to, for anyone who
-- may see the event (items themselves are for club people only): whether
-- they may act on it is the application's table to decide.
CREATE FUNCTION bookwork_private.item_event(item uuid)
RETURNS TABLE (event_id uuid, assigned_to uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
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

-- Confirms waitlisted people, first come first served, while there are
-- places. The caller holds the event's lock.
CREATE FUNCTION bookwork_private.promote_waitlist(event uuid, max_attendees integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    promoted bigint;
BEGIN
    UPDATE public.availability SET waitlisted = false
     WHERE id IN (
           SELECT a.id FROM public.availability a
            WHERE a.event_id = event AND a.waitlisted
            ORDER BY a.arrival
            LIMIT GREATEST(0, COALESCE(max_attendees::bigint, 9223372036854775807)
                   - (SELECT count(*) FROM public.availability c
                       WHERE c.event_id = event AND c.status = 'available' AND NOT c.waitlisted)));
    GET DIAGNOSTICS promoted = ROW_COUNT;
    RETURN promoted;
END
$$;

-- Counts anyone who may see a club or event may see, without the rows.

-- Members of each of `clubs` the viewer may see (others are left out): a
-- page of clubs in one call, not one call per club.
CREATE FUNCTION bookwork_private.member_counts(clubs uuid[])
RETURNS TABLE (club_id uuid, members bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    SELECT c.id, (SELECT count(*) FROM public.club_members m WHERE m.club_id = c.id AND m.is_active)
      FROM public.clubs c
     WHERE c.id = ANY (clubs)
       AND (c.is_public OR c.id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
            OR (SELECT bookwork_private.viewer_is_staff()));
END
$$;

CREATE FUNCTION bookwork_private.answer_counts(event uuid)
RETURNS TABLE (available bigint, waitlisted bigint, maybe bigint, unavailable bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
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

-- The home page's public numbers.
CREATE FUNCTION bookwork_private.community_stats()
RETURNS TABLE (public_clubs bigint, upcoming_public_events bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    SELECT (SELECT count(*) FROM public.clubs WHERE is_public),
           (SELECT count(*) FROM public.events e JOIN public.clubs c ON c.id = e.club_id
             WHERE e.is_public AND c.is_public AND e.cancelled_at IS NULL AND e.starts_at >= now());
END
$$;

-- An invitation link, for whoever holds it: what it leads to and whether it
-- can still be used. Only the token's hash is asked for.
CREATE FUNCTION bookwork_private.invite_for_token(token_hash text)
RETURNS TABLE (club_id uuid, club_name text, expired boolean, used_up boolean, revoked boolean,
               already_member boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    SELECT c.id, c.name::text, i.expires_at <= now(), i.uses >= i.max_uses, i.revoked_at IS NOT NULL,
           EXISTS (SELECT 1 FROM public.club_members m
                    WHERE m.club_id = c.id AND m.user_id = bookwork_private.viewer() AND m.is_active)
      FROM public.club_invites i JOIN public.clubs c ON c.id = i.club_id
     WHERE i.token_hash = invite_for_token.token_hash;
END
$$;

-- Joins the viewer to the club of a usable invitation (as `role`, member or
-- guest), counting the use. Returns what happened: 'joined', 'unknown',
-- 'expired', 'used_up', 'revoked', 'already_member' or 'full'. The
-- invitation and its club are locked while they are checked, so limits hold
-- under concurrent accepts.
CREATE FUNCTION bookwork_private.accept_invite(token_hash text, role text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
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

-- Re-derives future events' instants after a time-zone rules change (the
-- hourly job): every club's events, whoever runs it.
CREATE FUNCTION bookwork_private.refresh_event_instants() RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
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

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA bookwork_private FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bookwork_private TO bookwork_app;
GRANT EXECUTE ON FUNCTION bookwork_private.viewer(), bookwork_private.viewer_is_staff(),
    bookwork_private.viewer_is_site_admin(), bookwork_private.viewer_club_ids(text),
    bookwork_private.member_counts(uuid[]), bookwork_private.answer_counts(uuid),
    bookwork_private.community_stats()
    TO bookwork_readonly;
