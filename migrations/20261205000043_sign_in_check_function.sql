-- The sign-in check as a function, so that it can travel in the same
-- message as the BEGIN of the transaction it opens.
--
-- A page load (and a form's post) used to spend one round trip on BEGIN and
-- another on the statement that checks the sign-in and makes its person the
-- viewer. Sent together as one simple-protocol message, a plain statement
-- would be planned afresh every time; a PL/pgSQL function keeps its plan for
-- the connection's life, so the message costs what the old statement did.
--
-- SECURITY INVOKER on purpose: it reads `session_families`, `users` and
-- `notifications` under their row security as the person it is asked
-- about, exactly as the statement it replaces did. The viewer is set first
-- (row security needs it to read the sign-in) and cleared again when the
-- sign-in is not valid, so the rest of the transaction runs as a visitor.
SET LOCAL ROLE bookwork_owner;

CREATE FUNCTION bookwork_private.check_sign_in(person uuid, sign_in uuid, count_unread boolean)
RETURNS TABLE (user_id uuid, user_name text, user_email text, site_role text, unread bigint)
LANGUAGE plpgsql VOLATILE AS $$
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

REVOKE ALL ON FUNCTION bookwork_private.check_sign_in(uuid, uuid, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bookwork_private.check_sign_in(uuid, uuid, boolean) TO bookwork_app;
