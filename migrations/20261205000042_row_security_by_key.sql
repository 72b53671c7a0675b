-- Row security that looks rows up by key, and the discover total kept
-- rather than counted. Who may see what does not change.
--
-- Profiled under load (docs/PERFORMANCE.md), the reading policies that
-- asked "is the parent row visible?" with EXISTS were planned as a hashed
-- subplan: PostgreSQL read every visible club (or poll, or event) once per
-- statement to build a hash table, so a page's cost grew with the number of
-- clubs on the site, and the club page's two "current book" lookups cost
-- more than the club itself. The same question as a scalar subquery cannot
-- be hashed: it is one primary-key lookup per row asked about, and the
-- viewer's own clubs are checked first so members never get that far.
SET LOCAL ROLE bookwork_owner;

-- The viewer's site role ('admin', 'moderator', 'member', or '' for a
-- visitor or an inactive account), worked out once per transaction and
-- kept, like viewer_club_ids, in a transaction-local setting tagged with
-- the viewer. Every policy with a staff arm asked the users table again.
CREATE FUNCTION bookwork_private.viewer_site_role() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
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
REVOKE EXECUTE ON FUNCTION bookwork_private.viewer_site_role() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.viewer_site_role() TO bookwork_app, bookwork_readonly;

-- Plain SQL, so the planner inlines them into the policies that ask.
CREATE OR REPLACE FUNCTION bookwork_private.viewer_is_staff() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT bookwork_private.viewer_site_role() IN ('admin', 'moderator')
$$;

CREATE OR REPLACE FUNCTION bookwork_private.viewer_is_site_admin() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT bookwork_private.viewer_site_role() = 'admin'
$$;

-- A change to a membership or to a person forgets what was kept.
CREATE OR REPLACE FUNCTION bookwork_private.forget_viewer_clubs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    PERFORM pg_catalog.set_config('bookwork.clubs_' || r, '', true)
       FROM pg_catalog.unnest(ARRAY['guest', 'member', 'moderator', 'admin']) AS r;
    PERFORM pg_catalog.set_config('bookwork.site_role', '', true);
    RETURN NULL;
END
$$;

-- Books: the viewer's clubs, staff, then the club itself (public, or the
-- viewer owns it): what clubs_read allows, asked of one club.
ALTER POLICY books_read ON books USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff())
    OR coalesce((SELECT c.is_public OR c.owner_id = (SELECT bookwork_private.viewer())
                   FROM clubs c WHERE c.id = books.club_id), false));

ALTER POLICY events_read ON events USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff())
    OR (is_public AND coalesce((SELECT c.is_public FROM clubs c WHERE c.id = events.club_id), false)));

ALTER POLICY polls_read_public ON polls USING (
    coalesce((SELECT c.is_public FROM clubs c WHERE c.id = polls.club_id), false));

-- Children follow a parent the viewer may see.
ALTER POLICY poll_options_read ON poll_options USING (
    coalesce((SELECT true FROM polls p WHERE p.id = poll_options.poll_id), false));

ALTER POLICY date_answers_read ON date_answers USING (
    coalesce((SELECT p.club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
                     OR (SELECT bookwork_private.viewer_is_staff())
                FROM polls p WHERE p.id = date_answers.poll_id), false));

ALTER POLICY event_items_read ON event_items USING (
    coalesce((SELECT e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
                     OR (SELECT bookwork_private.viewer_is_staff())
                FROM events e WHERE e.id = event_items.event_id), false));

ALTER POLICY availability_read ON availability USING (
    user_id = (SELECT bookwork_private.viewer())
    OR (SELECT bookwork_private.viewer_is_staff())
    OR coalesce((SELECT e.club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
                   FROM events e WHERE e.id = availability.event_id), false));

-- Discover's first pages in name order read a page of the index, not every
-- club.
CREATE INDEX clubs_name_order ON clubs (lower(name), id);

-- How many clubs there are, and how many of them are public, kept as clubs
-- come, go and change visibility, so discover's total and the home page's
-- community number do not count the site on every page. One row: creating
-- clubs at once waits on it briefly, which creating a club can afford.
CREATE TABLE bookwork_private.club_tally (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    all_clubs bigint NOT NULL CHECK (all_clubs >= 0),
    public_clubs bigint NOT NULL CHECK (public_clubs >= 0)
);
INSERT INTO bookwork_private.club_tally (all_clubs, public_clubs)
SELECT count(*), count(*) FILTER (WHERE is_public) FROM clubs;

CREATE FUNCTION bookwork_private.tally_clubs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
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
REVOKE EXECUTE ON FUNCTION bookwork_private.tally_clubs() FROM PUBLIC;

CREATE TRIGGER tally_clubs AFTER INSERT OR DELETE OR UPDATE OF is_public ON clubs
    FOR EACH ROW EXECUTE FUNCTION bookwork_private.tally_clubs();
CREATE TRIGGER tally_clubs_truncate AFTER TRUNCATE ON clubs
    FOR EACH STATEMENT EXECUTE FUNCTION bookwork_private.tally_clubs();

-- How many clubs discover lists for the viewer with no search or tag: every
-- club for site staff; otherwise the public ones and the private ones the
-- viewer is an active member of (discover's own rule).
CREATE FUNCTION bookwork_private.visible_club_total() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    IF bookwork_private.viewer_is_staff() THEN
        RETURN (SELECT t.all_clubs FROM bookwork_private.club_tally t);
    END IF;
    RETURN (SELECT t.public_clubs FROM bookwork_private.club_tally t)
         + (SELECT count(*) FROM public.club_members m JOIN public.clubs c ON c.id = m.club_id
             WHERE m.user_id = bookwork_private.viewer() AND m.is_active AND NOT c.is_public);
END
$$;
REVOKE EXECUTE ON FUNCTION bookwork_private.visible_club_total() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.visible_club_total() TO bookwork_app;

-- The home page's public numbers: the club count from the tally.
CREATE OR REPLACE FUNCTION bookwork_private.community_stats()
RETURNS TABLE(public_clubs bigint, upcoming_public_events bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    SELECT (SELECT t.public_clubs FROM bookwork_private.club_tally t),
           (SELECT count(*) FROM public.events e JOIN public.clubs c ON c.id = e.club_id
             WHERE e.is_public AND c.is_public AND e.cancelled_at IS NULL AND e.starts_at >= now());
END
$$;
