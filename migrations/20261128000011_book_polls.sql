-- Book polls: a club's moderators open a poll over books from its shelf;
-- members rank them; instant-runoff counting (in the application) picks the
-- winner. Ballots are secret: a member reads only their own; counts come
-- from an owner's function that gives rankings without names.
SET LOCAL ROLE bookwork_owner;

CREATE TABLE polls (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    club_id      uuid NOT NULL REFERENCES clubs (id) ON DELETE CASCADE,
    kind         text NOT NULL DEFAULT 'book' CHECK (kind IN ('book', 'date')),
    title        varchar(255) NOT NULL CHECK (btrim(title) <> ''),
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    closes_at    timestamptz NOT NULL,
    -- Set when the organiser closes it early (a poll past `closes_at` is
    -- closed too).
    closed_at    timestamptz,
    -- Results while the poll is open, or only once it has closed.
    results_live boolean NOT NULL DEFAULT false
);
CREATE INDEX polls_club ON polls (club_id, closes_at);
CREATE INDEX polls_created_by ON polls (created_by);

CREATE TABLE poll_options (
    id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    poll_id  uuid NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    -- The order options were added (the last tie-break).
    position integer NOT NULL,
    book_id  uuid REFERENCES books (id) ON DELETE CASCADE,
    UNIQUE (poll_id, position),
    UNIQUE (poll_id, book_id)
);
CREATE INDEX poll_options_book ON poll_options (book_id);

CREATE TABLE ballots (
    poll_id uuid NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Option ids, most preferred first.
    ranking uuid[] NOT NULL,
    cast_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (poll_id, user_id)
);
CREATE INDEX ballots_user ON ballots (user_id);

ALTER TABLE polls ENABLE ROW LEVEL SECURITY;
ALTER TABLE polls FORCE ROW LEVEL SECURITY;
CREATE POLICY polls_read ON polls FOR SELECT USING (
    club_id = ANY ((SELECT bookwork_private.viewer_club_ids())::uuid[])
    OR (SELECT bookwork_private.viewer_is_staff()));
CREATE POLICY polls_manage ON polls FOR ALL
    USING (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
           OR (SELECT bookwork_private.viewer_is_site_admin()))
    WITH CHECK (club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                OR (SELECT bookwork_private.viewer_is_site_admin()));
CREATE POLICY owner_polls ON polls TO bookwork_owner USING (true) WITH CHECK (true);

ALTER TABLE poll_options ENABLE ROW LEVEL SECURITY;
ALTER TABLE poll_options FORCE ROW LEVEL SECURITY;
CREATE POLICY poll_options_read ON poll_options FOR SELECT
    USING (EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll_id));
CREATE POLICY poll_options_manage ON poll_options FOR ALL
    USING (EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll_id
                     AND (p.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                          OR (SELECT bookwork_private.viewer_is_site_admin()))))
    WITH CHECK (EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll_id
                          AND (p.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('moderator'))::uuid[])
                               OR (SELECT bookwork_private.viewer_is_site_admin()))));
CREATE POLICY owner_poll_options ON poll_options TO bookwork_owner USING (true) WITH CHECK (true);

-- A ballot is its voter's alone: read, cast and changed only by them.
ALTER TABLE ballots ENABLE ROW LEVEL SECURITY;
ALTER TABLE ballots FORCE ROW LEVEL SECURITY;
CREATE POLICY ballots_own ON ballots
    USING (user_id = (SELECT bookwork_private.viewer()))
    WITH CHECK (user_id = (SELECT bookwork_private.viewer())
                AND EXISTS (SELECT 1 FROM public.polls p WHERE p.id = poll_id
                              AND p.club_id = ANY ((SELECT bookwork_private.viewer_club_ids('member'))::uuid[])));
CREATE POLICY owner_ballots ON ballots TO bookwork_owner USING (true) WITH CHECK (true);

-- Holds a poll for a vote (FOR SHARE: votes go side by side, closing waits
-- for them and they for it), for a member of its club. Returns whether it is
-- still open.
CREATE FUNCTION bookwork_private.lock_poll_for_vote(poll uuid) RETURNS TABLE (open boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    SELECT p.closed_at IS NULL AND p.closes_at > now() FROM public.polls p
     WHERE p.id = poll
       AND p.club_id = ANY (bookwork_private.viewer_club_ids('member'))
       FOR SHARE;
END
$$;

-- Every ballot of a poll, without names, for counting: for people of its
-- club (and site staff) only; whether they may see results yet is the
-- application's rule.
CREATE FUNCTION bookwork_private.poll_rankings(poll uuid) RETURNS SETOF uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT b.ranking FROM public.ballots b JOIN public.polls p ON p.id = b.poll_id
     WHERE b.poll_id = poll
       AND (p.club_id = ANY (bookwork_private.viewer_club_ids()) OR bookwork_private.viewer_is_staff())
$$;

-- A poll's club, when the viewer may see that club: people outside it learn
-- where the poll belongs (and are told it is not theirs), as for events.
CREATE FUNCTION bookwork_private.poll_club(poll uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT p.club_id FROM public.polls p JOIN public.clubs c ON c.id = p.club_id
     WHERE p.id = poll
       AND (c.is_public OR c.id = ANY (bookwork_private.viewer_club_ids())
            OR bookwork_private.viewer_is_staff())
$$;

REVOKE EXECUTE ON FUNCTION bookwork_private.lock_poll_for_vote(uuid), bookwork_private.poll_rankings(uuid),
    bookwork_private.poll_club(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.lock_poll_for_vote(uuid), bookwork_private.poll_rankings(uuid),
    bookwork_private.poll_club(uuid) TO bookwork_app;
