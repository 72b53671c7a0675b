-- Deleting one's own account (profile::account): what the person may not
-- change under row security themselves — others' notices that name them,
-- their sign-in records, their e-mail address — is done here, as the owner,
-- for the signed-in person only. The caller has already ended their
-- sessions, given up their places and tasks at upcoming events (promoting
-- the waitlists) and checked they own no club, in the same transaction.
--
-- What stays, attributed to "Former member": their past answers and the
-- ballots and date answers they cast (results stay as counted), comments
-- and questions (threads stay whole; they may delete their own first), the
-- books, polls, events and invitations they made for their clubs.
SET LOCAL ROLE bookwork_owner;

-- Locks the clubs the viewer belongs to (or did), in id order, before
-- their memberships: ending a membership updates its club's member count,
-- and a hand-over locks the club before it looks at the person it goes to,
-- so taking the clubs first is the order that cannot deadlock with it.
CREATE FUNCTION bookwork_private.lock_my_clubs() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    PERFORM 1 FROM public.clubs c
      WHERE c.id IN (SELECT m.club_id FROM public.club_members m
                      WHERE m.user_id = bookwork_private.viewer())
      ORDER BY c.id
        FOR NO KEY UPDATE;
END
$$;
REVOKE ALL ON FUNCTION bookwork_private.lock_my_clubs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.lock_my_clubs() TO bookwork_app;

CREATE FUNCTION bookwork_private.forget_me(former_name text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = '' AS $$
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
REVOKE ALL ON FUNCTION bookwork_private.forget_me(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.forget_me(text) TO bookwork_app;
